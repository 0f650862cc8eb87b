import type cytoscape from 'cytoscape';
import { useEffect, useRef } from 'preact/hooks';
import {
  Empty,
  ErrorBox,
  Link,
  Loading,
  PageHeader,
  RecordLink,
  Section,
} from '../components/ui.js';
import { kindLabel } from '../format.js';
import {
  MAX_EXPANSIONS_PER_LEVEL,
  MAX_NODES,
  RANK,
  walkNeighbourhood,
  type GraphNode,
  type Neighbourhood,
} from '../graph-walk.js';
import { useLoad, useTitle } from '../hooks.js';
import { navigate, recordHref } from '../router.js';

const COLUMN_WIDTH = 250;
const ROW_HEIGHT = 64;
const KINDS = ['owner', 'asset', 'identity', 'credential'] as const;

/**
 * Cytoscape adds a <style> element for its container, which the server's CSP (style-src
 * 'self') refuses; an element with that id makes it skip the insert, and styles.css carries
 * the one rule it would have added.
 */
function preventInlineStylesheet(): void {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  const marker = document.createElement('meta');
  marker.id = id;
  marker.name = 'cytoscape-stylesheet';
  marker.content = 'bundled in styles.css';
  document.head.append(marker);
}

function column(n: GraphNode): number {
  return n.kind && RANK[n.kind] !== undefined ? RANK[n.kind]! : KINDS.length;
}

/** Columns owner → asset → identity → credential (then keys no record holds), rows by name. */
function positions(g: Neighbourhood): Map<string, { x: number; y: number }> {
  const columns = new Map<number, GraphNode[]>();
  for (const n of g.nodes) {
    const c = column(n);
    columns.set(c, [...(columns.get(c) ?? []), n]);
  }
  const tallest = Math.max(...[...columns.values()].map((c) => c.length));
  const out = new Map<string, { x: number; y: number }>();
  for (const [c, nodes] of columns) {
    nodes.sort((a, b) => a.depth - b.depth || a.label.localeCompare(b.label));
    const offset = ((tallest - nodes.length) * ROW_HEIGHT) / 2;
    nodes.forEach((n, i) => out.set(n.id, { x: c * COLUMN_WIDTH, y: offset + i * ROW_HEIGHT }));
  }
  return out;
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      'font-size': 12,
      color: '#0f172a',
      'text-valign': 'bottom',
      'text-margin-y': 5,
      'text-wrap': 'ellipsis',
      'text-max-width': '210px',
      width: 26,
      height: 26,
      'border-width': 2,
      'border-color': '#ffffff',
    },
  },
  {
    selector: 'node[kind = "owner"]',
    style: { shape: 'round-rectangle', 'background-color': '#6d28d9' },
  },
  {
    selector: 'node[kind = "asset"]',
    style: { shape: 'rectangle', 'background-color': '#1d4ed8' },
  },
  {
    selector: 'node[kind = "identity"]',
    style: { shape: 'ellipse', 'background-color': '#047857' },
  },
  {
    selector: 'node[kind = "credential"]',
    style: { shape: 'diamond', 'background-color': '#b45309' },
  },
  {
    selector: 'node[!resolved]',
    style: {
      'background-color': '#ffffff',
      'border-color': '#64748b',
      'border-style': 'dashed',
      color: '#475569',
    },
  },
  {
    selector: 'node.centre',
    style: {
      width: 36,
      height: 36,
      'border-width': 4,
      'border-color': '#f59e0b',
      'font-weight': 'bold',
    },
  },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#94a3b8',
      'target-arrow-color': '#94a3b8',
      'target-arrow-shape': 'triangle',
      'curve-style': 'bezier',
      label: 'data(type)',
      'font-size': 10,
      color: '#475569',
      'text-background-color': '#ffffff',
      'text-background-opacity': 1,
      'text-background-padding': '2px',
      'text-rotation': 'autorotate',
    },
  },
  {
    selector: 'node:active, node:selected',
    style: { 'overlay-opacity': 0.12, 'overlay-color': '#1d4ed8' },
  },
];

/** Fits the graph, but a small one is not blown up past a readable size. */
function fitReadable(cy: cytoscape.Core): void {
  cy.fit(undefined, 40);
  if (cy.zoom() > 1.2) {
    cy.zoom(1.2);
    cy.center();
  }
}

function GraphCanvas({ g }: { g: Neighbourhood }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let cy: cytoscape.Core | undefined;
    let resize: ResizeObserver | undefined;
    let gone = false;
    // The graph library is most of the console's weight: it loads with the first graph.
    void import('cytoscape').then(({ default: cytoscape }) => {
      if (gone) return;
      cy = draw(cytoscape, el, g);
      const drawn = cy;
      resize = new ResizeObserver(() => {
        drawn.resize();
        fitReadable(drawn);
      });
      resize.observe(el);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      cy?.destroy();
    };
  }, [g]);
  return (
    <div
      ref={box}
      id="graph-canvas"
      class="graph-canvas"
      role="img"
      aria-label={
        `Graph of ${g.nodes.length} records and ${g.edges.length} relations around ` +
        `${g.centre.label}; the table below lists them.`
      }
    />
  );
}

function draw(
  cytoscape: typeof import('cytoscape'),
  el: HTMLDivElement,
  g: Neighbourhood,
): cytoscape.Core {
  preventInlineStylesheet();
  const at = positions(g);
  const cy = cytoscape({
    container: el,
    elements: [
      ...g.nodes.map((n) => ({
        data: {
          id: n.id,
          label: n.label,
          kind: n.kind ?? 'none',
          resolved: n.recordId !== null,
          record: n.recordId,
        },
        position: at.get(n.id)!,
        classes: n.id === g.centre.id ? 'centre' : '',
      })),
      ...g.edges.map((e) => ({ data: { id: e.id, source: e.from, target: e.to, type: e.type } })),
    ],
    style: STYLE,
    layout: { name: 'preset', fit: true, padding: 40 },
    minZoom: 0.2,
    maxZoom: 2.5,
    autoungrabify: true,
  });
  cy.on('tap', 'node', (evt) => {
    const record = evt.target.data('record') as string | null;
    if (record) navigate(recordHref(record));
  });
  cy.on('mouseover', 'node[?resolved]', () => (el.style.cursor = 'pointer'));
  cy.on('mouseout', 'node', () => (el.style.cursor = ''));
  el.dataset['nodes'] = String(cy.nodes().length);
  el.dataset['edges'] = String(cy.edges().length);
  return cy;
}

function Legend() {
  return (
    <ul class="legend" aria-label="Legend">
      {KINDS.map((k) => (
        <li key={k}>
          <span class={`swatch swatch-${k}`} aria-hidden="true" /> {kindLabel(k)}
        </li>
      ))}
      <li>
        <span class="swatch swatch-none" aria-hidden="true" /> Named, not in the inventory
      </li>
      <li>
        <span class="swatch swatch-centre" aria-hidden="true" /> This record
      </li>
    </ul>
  );
}

/** What hangs off a record: its owners, the assets it runs on, identities and credentials. */
export function GraphPage({ id }: { id: string; query: URLSearchParams }) {
  const graph = useLoad(() => walkNeighbourhood(id), id);
  const g = graph.data;
  useTitle(g ? `Graph · ${g.centre.label}` : 'Graph');
  return (
    <>
      <PageHeader
        title={g ? `Around ${g.centre.label}` : 'Graph'}
        subtitle="Owner → asset → identity → credential. Select a node to open its record."
        actions={<Link href={recordHref(id)}>Back to the record</Link>}
      />
      {graph.error !== undefined && <ErrorBox error={graph.error} what="the graph" />}
      {graph.loading && !g && <Loading what="the graph" />}
      {g && (
        <>
          <Section title="Graph" aside={<Legend />}>
            {g.truncated && (
              <p class="notice" role="status">
                This neighbourhood is larger than one graph shows (at most {MAX_NODES} records,
                and the relations of {MAX_EXPANSIONS_PER_LEVEL} at each step): open a record
                nearer the edge to see further.
              </p>
            )}
            {g.nodes.length === 1 ? (
              <Empty>This record has no relations.</Empty>
            ) : (
              <GraphCanvas g={g} />
            )}
          </Section>
          <Section title="Records in this graph">
            <NodeTable g={g} />
          </Section>
        </>
      )}
    </>
  );
}

function NodeTable({ g }: { g: Neighbourhood }) {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const sorted = [...g.nodes].sort(
    (a, b) => column(a) - column(b) || a.label.localeCompare(b.label),
  );
  return (
    <table class="data compact" aria-label="Records in this graph">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Record</th>
          <th scope="col">Relations</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((n) => {
          const out = g.edges.filter((e) => e.from === n.id);
          return (
            <tr key={n.id} class={n.id === g.centre.id ? 'centre-row' : undefined}>
              <td>{kindLabel(n.kind)}</td>
              <td>
                <RecordLink id={n.recordId} name={n.label} />
              </td>
              <td class="wrap">
                {out.length === 0 ? (
                  <span class="muted">—</span>
                ) : (
                  out.map((e, i) => (
                    <span key={e.id}>
                      {i > 0 && '; '}
                      {e.type} {byId.get(e.to)?.label ?? e.to}
                    </span>
                  ))
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
