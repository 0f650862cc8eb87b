import { createHash } from 'node:crypto';
import type { InventoryRecord } from '../model/record.js';
import type { Criticality } from '../model/types.js';
import { CRITICALITIES } from '../model/types.js';
import type { JudgeContext } from './context.js';
import type { Evidence, Finding, FindingKind } from './finding.js';
import { REFERENCES } from './references.js';
import { severityFor } from './severity.js';

/** Stable finding id: the same kind on the same subject (and detail) keeps its id. */
export function findingId(kind: FindingKind, subjectId: string, detail = ''): string {
  const h = createHash('sha256').update(`${kind}\u0000${subjectId}\u0000${detail}`).digest('hex');
  return `fnd_${h.slice(0, 20)}`;
}

export interface FindingDraft {
  readonly kind: FindingKind;
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /** Distinguishes several findings of one kind on one subject. */
  readonly detail?: string;
}

/** Evidence from one merged attribute of a record. */
export function attrEvidence(r: InventoryRecord, name: string): Evidence[] {
  const a = r.attributes[name];
  if (!a) return [];
  const own: Evidence = {
    source: a.source,
    format: a.format,
    field: name,
    value: a.value,
    asOf: a.asOf,
    runId: a.runId,
    ...(r.id ? { recordId: r.id } : {}),
  };
  const others = a.conflicts.map((c) => ({
    source: c.source,
    format: c.format,
    field: name,
    value: c.value,
    asOf: c.asOf,
    runId: c.runId,
    recordId: r.id,
  }));
  return [own, ...others];
}

/**
 * The criticality and environment that raise a finding's severity: the subject's own, else
 * the highest of the assets it runs on or belongs to (a key is as critical as its machine).
 */
export function effectiveContext(
  r: InventoryRecord,
  ctx: JudgeContext,
): { criticality: Criticality | null; environment: string | null } {
  let criticality = r.criticality;
  let environment = r.environment;
  for (const id of neighbourhood(r.id, ctx)) {
    const s = ctx.summary(id);
    if (!s) continue;
    if (s.criticality && (!criticality || rank(s.criticality) < rank(criticality))) {
      criticality = s.criticality;
    }
    if (s.environment === 'production') environment = 'production';
    else environment ??= s.environment;
  }
  return { criticality, environment };
}

function rank(c: Criticality): number {
  return CRITICALITIES.indexOf(c);
}

/** Identity of a credential, assets of an identity: the things whose criticality carries over. */
export function neighbourhood(id: string, ctx: JudgeContext): string[] {
  const identities = [id, ...ctx.related(id, 'belongs-to', 'out')];
  const assets = identities.flatMap((i) => ctx.related(i, 'runs-on', 'out'));
  return [...new Set([...identities.slice(1), ...assets])];
}

export function build(r: InventoryRecord, ctx: JudgeContext, d: FindingDraft): Finding {
  const { criticality, environment } = effectiveContext(r, ctx);
  return {
    id: findingId(d.kind, r.id, d.detail),
    kind: d.kind,
    severity: severityFor(d.kind, criticality, environment),
    subject: { type: r.kind, id: r.id, name: r.name },
    message: d.message,
    references: REFERENCES[d.kind],
    evidence: d.evidence,
  };
}

export function text(r: InventoryRecord, name: string): string | undefined {
  const v = r.attributes[name]?.value;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function flag(r: InventoryRecord, name: string): boolean | undefined {
  const v = r.attributes[name]?.value;
  return typeof v === 'boolean' ? v : undefined;
}
