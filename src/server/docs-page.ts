/**
 * The API reference page at /api/v1/docs: a static shell and a small script that fetches the
 * public /api/v1/openapi.json and renders every operation. No CDN, no inline
 * script (the CSP allows scripts from this origin only).
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Roster API reference</title>
<link rel="stylesheet" href="/api/v1/docs/docs.css">
<script type="module" src="/api/v1/docs/docs.js"></script>
</head>
<body>
<header><h1>Roster API reference</h1><p id="meta"></p></header>
<p id="problem" role="alert"></p>
<nav id="toc"></nav>
<main id="ops"></main>
</body>
</html>
`;

export const DOCS_CSS = `
body {
  font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem 2rem;
  color: #1d232b;
}
header h1 { margin-bottom: 0.2rem; }
code, pre { font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f4f6f8; padding: 0.6rem; overflow-x: auto; border-radius: 4px; }
#problem { color: #a4161a; }
nav { columns: 3; margin: 1rem 0 2rem; }
nav a { display: block; text-decoration: none; }
section.op { border-top: 1px solid #d6dbe1; padding: 0.8rem 0; }
.method { display: inline-block; min-width: 4.2rem; font-weight: 700; }
.scope {
  float: right; font-size: 13px; background: #e8eef7; padding: 0 0.5rem; border-radius: 3px;
}
table { border-collapse: collapse; margin: 0.4rem 0; }
td, th { border: 1px solid #d6dbe1; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
h2 { margin-top: 2.5rem; }
`;

export const DOCS_JS = `
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
};

async function load() {
  const res = await fetch('/api/v1/openapi.json');
  if (!res.ok) {
    $('problem').textContent = 'The server answered ' + res.status + '.';
    return;
  }
  render(await res.json());
}

function render(doc) {
  $('meta').textContent = doc.info.title + ' ' + doc.info.version + ' · OpenAPI ' + doc.openapi;
  const byTag = new Map();
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags || ['other'])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  for (const [tag, ops] of byTag) {
    $('ops').append(el('h2', tag));
    for (const o of ops) renderOp(o);
  }
  const schemas = doc.components.schemas;
  $('ops').append(el('h2', 'schemas'));
  for (const [name, schema] of Object.entries(schemas)) {
    const s = el('section', undefined, 'op');
    s.id = 'schema-' + name;
    s.append(el('h3', name), el('pre', JSON.stringify(schema, null, 2)));
    $('ops').append(s);
  }
}

function renderOp({ path, method, op }) {
  const s = el('section', undefined, 'op');
  s.id = op.operationId;
  const title = el('h3');
  title.append(el('span', method.toUpperCase(), 'method'), el('code', path),
    el('span', 'scope: ' + op['x-roster-scope'], 'scope'));
  s.append(title, el('p', op.summary));
  if (op.description) s.append(el('p', op.description));
  if (op.parameters) s.append(paramTable(op.parameters));
  if (op.requestBody) s.append(el('p', 'body: ' + Object.keys(op.requestBody.content).join(', ')));
  const ok = Object.entries(op.responses).map(([code, r]) => code + ' ' + describe(r)).join('\\n');
  s.append(el('pre', ok));
  const link = el('a', op.operationId);
  link.href = '#' + op.operationId;
  $('toc').append(link);
  $('ops').append(s);
}

function describe(response) {
  const content = response.content || {};
  const json = content['application/json'];
  const ref = json && json.schema && json.schema.$ref ? json.schema.$ref.split('/').pop() : '';
  const others = Object.keys(content).filter((t) => t !== 'application/json');
  const also = others.length ? ' (' + others.join(', ') + ')' : '';
  return response.description + (ref ? ' → ' + ref : '') + also;
}

function paramTable(params) {
  const t = el('table');
  const head = el('tr');
  for (const h of ['name', 'in', 'required', 'schema', 'description']) head.append(el('th', h));
  t.append(head);
  for (const p of params) {
    const row = el('tr');
    row.append(el('td', p.name), el('td', p.in), el('td', p.required ? 'yes' : ''),
      el('td', JSON.stringify(p.schema)), el('td', p.description || ''));
    t.append(row);
  }
  return t;
}

load();
`;
