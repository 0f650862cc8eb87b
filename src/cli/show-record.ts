import pc from 'picocolors';
import type { App } from '../app.js';
import type { InventoryRecord, MergedAttribute } from '../model/record.js';
import type { ResolvedEdge } from '../store/port.js';
import type { OutputFormat } from './output.js';
import { table } from './output.js';
import { findingJson, recordJson } from './present.js';

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

/** The merged record with every attribute's source, as-of time and conflicts. */
export async function renderRecord(
  app: App,
  r: InventoryRecord,
  format: OutputFormat,
  color: boolean,
): Promise<string> {
  const relations = await relationsOf(app, r);
  const findings = await app.store.listFindings({ subjectId: r.id });
  if (format === 'json') {
    return JSON.stringify(
      {
        ...recordJson(r),
        attributes: r.attributes,
        sightings: r.sightings,
        keyConflicts: r.keyConflicts,
        relations,
        findings: findings.map(findingJson),
      },
      null,
      2,
    );
  }
  const bold = (s: string): string => (color ? pc.bold(s) : s);
  const attrs = Object.entries(r.attributes).map(([name, a]) => ({ name, a }));
  const lines = [
    bold(`${r.kind} ${r.name}`) + `  (${r.id})`,
    `admission ${r.admission} · lifecycle ${r.lifecycle ?? '-'} · owner ${r.owner ?? '-'} · ` +
      `environment ${r.environment ?? '-'} · criticality ${r.criticality ?? '-'}`,
    '',
    bold('keys'),
    ...r.keys.map((k) => `  ${k.type}: ${k.value}`),
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
      `  ${s.format} ${s.scope}: ${s.status}, last seen ${s.lastSeen}` +
      (s.missingSince ? `, missing since ${s.missingSince}` : '') + ` (run ${s.runId})`),
  ];
  if (r.keyConflicts.length > 0) {
    lines.push('', bold('merges refused (strong keys disagree)'));
    for (const c of r.keyConflicts) {
      lines.push(`  ${c.keyType}: ${c.values.join(' vs ')} (${c.source})`);
    }
  }
  lines.push('', bold('relations'));
  lines.push(...orNone(relations.map((x) =>
    `  ${x.direction === 'out' ? '→' : '←'} ${x.type} ${x.otherName} (${x.source})`)));
  lines.push('', bold('open findings'));
  lines.push(...orNone(findings.map((f) => `  [${f.severity}] ${f.kind}: ${f.message}`)));
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
