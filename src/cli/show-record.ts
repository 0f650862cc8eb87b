import { pc } from './paint.js';
import type { App } from '../app.js';
import type { RefMatch } from '../lookup/records-by-ref.js';
import { keyString } from '../model/keys.js';
import type { InventoryRecord, MergedAttribute } from '../model/record.js';
import type { Key } from '../model/types.js';
import type { ResolvedEdge } from '../store/port.js';
import type { OutputFormat } from './output.js';
import { json, table } from './output.js';
import { findingJson, recordJson } from './present.js';
import { visibleValue as v } from '../present/visible.js';

interface RelationView {
  readonly type: string;
  readonly direction: 'out' | 'in';
  readonly otherId: string | null;
  readonly otherName: string;
  readonly source: string;
}

async function relationsOf(app: App, r: InventoryRecord): Promise<RelationView[]> {
  const edges = await app.store.edgesOf([r.id]);
  const views: RelationView[] = [];
  for (const e of edges) {
    const view = await viewOf(app, r.id, e);
    if (view) views.push(view);
  }
  return views.sort((a, b) => `${a.type}${a.otherName}`.localeCompare(`${b.type}${b.otherName}`));
}

async function viewOf(app: App, id: string, e: ResolvedEdge): Promise<RelationView | undefined> {
  const out = e.fromId === id;
  if (!out && e.toId !== id) return undefined;
  const otherId = out ? e.toId : e.fromId;
  const key = out ? e.toKey : e.fromKey;
  const other = otherId ? await app.store.getRecord(otherId) : undefined;
  const otherName = other
    ? `${other.kind}:${other.name}`
    : `${key?.type}:${key?.value} (not in inventory)`;
  return { type: e.type, direction: out ? 'out' : 'in', otherId, otherName, source: e.source };
}

/**
 * What `show` prints for the records a reference matched. One record is shown as always (in
 * JSON an array of that one record). Several are never cut to one: the table opens with a line
 * such as `2 records hold ip 10.20.1.15`, lists them, and shows each in turn; JSON is an object
 * `{ ambiguous: true, count, summary, matches: [{ keys, record }] }`, which no reader of the
 * one-record array can take for a single record.
 */
export async function renderMatches(
  app: App,
  matches: readonly RefMatch[],
  format: OutputFormat,
  color: boolean,
): Promise<string> {
  if (matches.length === 1) {
    const one = await renderRecord(app, matches[0]!.record, format, color);
    return format === 'json' ? `[${one}]` : one;
  }
  const summary = `${matches.length} records hold ${keysText(distinctKeys(matches))}`;
  if (format === 'json') {
    const items = [];
    for (const m of matches) {
      items.push({ keys: m.keys.map(keyJson), record: await recordDetailJson(app, m.record) });
    }
    const body = { ambiguous: true, count: matches.length, summary, matches: items };
    return json(body);
  }
  const bold = (s: string): string => (color ? pc.bold(s) : s);
  const parts = [[
    bold(`${summary}; each is shown below (a record id shows one):`),
    ...matches.map((m) => `  ${m.record.kind} ${v(m.record.name)}  (${m.record.id})`),
  ].join('\n')];
  for (const [i, m] of matches.entries()) {
    const rule = bold(`── record ${i + 1} of ${matches.length}: holds ${keysText(m.keys)} ──`);
    parts.push(`${rule}\n${await renderRecord(app, m.record, format, color)}`);
  }
  parts.push(bold(`${summary} (all shown above)`));
  return parts.join('\n\n');
}

function distinctKeys(matches: readonly RefMatch[]): Key[] {
  const keys = new Map<string, Key>();
  for (const m of matches) for (const k of m.keys) keys.set(keyString(k), k);
  return [...keys.values()];
}

function keysText(keys: readonly Key[]): string {
  return keys.length === 0 ? 'this id' : keys.map((k) => `${k.type} ${v(k.value)}`).join(' or ');
}

function keyJson(k: Key): { type: string; value: string } {
  return { type: k.type, value: k.value };
}

/** The merged record as `show -o json` writes it: the summary fields and every detail. */
async function recordDetailJson(app: App, r: InventoryRecord): Promise<object> {
  const relations = await relationsOf(app, r);
  const findings = await app.store.listFindings({ subjectId: r.id });
  return {
    ...recordJson(r),
    attributes: r.attributes,
    sightings: r.sightings,
    keyConflicts: r.keyConflicts,
    relations,
    findings: findings.map(findingJson),
  };
}

/** The merged record with every attribute's source, as-of time and conflicts. */
export async function renderRecord(
  app: App,
  r: InventoryRecord,
  format: OutputFormat,
  color: boolean,
): Promise<string> {
  if (format === 'json') return json(await recordDetailJson(app, r));
  const relations = await relationsOf(app, r);
  const findings = await app.store.listFindings({ subjectId: r.id });
  const bold = (s: string): string => (color ? pc.bold(s) : s);
  const attrs = Object.entries(r.attributes).map(([name, a]) => ({ name, a }));
  const lines = [
    bold(`${r.kind} ${v(r.name)}`) + `  (${r.id})`,
    `admission ${r.admission} · lifecycle ${r.lifecycle ?? '-'} · owner ${v(r.owner ?? '-')} · ` +
      `environment ${v(r.environment ?? '-')} · criticality ${r.criticality ?? '-'}`,
    '',
    bold('keys'),
    ...r.keys.map((k) => `  ${k.type}: ${v(k.value)}`),
    '',
    bold('attributes'),
    table(attrs, [
      { header: 'ATTRIBUTE', value: (x) => x.name },
      { header: 'VALUE', value: (x) => show(x.a.value) },
      { header: 'SOURCE', value: (x) => `${x.a.source}/${x.a.format}` },
      { header: 'AS OF', value: (x) => x.a.asOf },
      { header: 'CONFLICTS', value: (x) => conflictsText(x.a), width: 90 },
    ], color),
    '',
    bold('seen by'),
    ...r.sightings.map((s) =>
      `  ${s.format} ${v(s.scope)}: ${s.status}, last seen ${s.lastSeen}` +
      (s.missingSince ? `, missing since ${s.missingSince}` : '') + ` (run ${s.runId})`),
  ];
  if (r.keyConflicts.length > 0) {
    lines.push('', bold('merges refused (strong keys disagree)'));
    for (const c of r.keyConflicts) {
      lines.push(`  ${c.keyType}: ${v(c.values.join(' vs '))} (${c.source})`);
    }
  }
  lines.push('', bold('relations'));
  lines.push(...orNone(relations.map((x) =>
    `  ${x.direction === 'out' ? '→' : '←'} ${x.type} ${v(x.otherName)} (${x.source})`)));
  lines.push('', bold('open findings'));
  lines.push(...orNone(findings.map((f) => `  [${f.severity}] ${f.kind}: ${v(f.message)}`)));
  return lines.join('\n');
}

function conflictsText(a: MergedAttribute): string {
  return a.conflicts.map((c) => `${c.source}: ${show(c.value)} @${c.asOf}`).join('; ');
}

function orNone(lines: string[]): string[] {
  return lines.length > 0 ? lines : ['  none'];
}

function show(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}
