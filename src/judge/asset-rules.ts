import { currentRunState } from '../model/run-state.js';
import type { InventoryRecord } from '../model/record.js';
import { daysBetween } from '../model/time.js';
import { freshnessWindow, type JudgeConfig } from './config.js';
import type { JudgeContext, RecordSummary } from './context.js';
import type { Evidence } from './finding.js';
import { attrEvidence, type FindingDraft, text } from './make.js';
import { WORKLOAD_CLASSES } from './workload-rules.js';

/** Asset classes that come and go with their controllers: ownership lives on the controller. */
const EPHEMERAL = new Set(['k8s-pod', 'k8s-job']);

export function isRetired(r: { admission: string; lifecycle: string | null }): boolean {
  return r.admission === 'retired' || r.lifecycle === 'retired';
}

function sightingEvidence(r: InventoryRecord): Evidence[] {
  return r.sightings.map((s) => ({
    source: s.source,
    format: s.format,
    field: 'sighting',
    value: `${s.status} in ${s.scope}`,
    asOf: s.lastSeen,
    runId: s.runId,
  }));
}

/**
 * Asset classes that are software on a host rather than a machine of their own: a SPIRE agent
 * is admitted and owned with the instance or node it runs on (its attestation names it).
 */
const ON_HOST = new Set(['spire-agent']);

/** The assets in the inventory that an on-host asset runs on (none for other classes). */
function hostsOf(r: InventoryRecord, ctx: JudgeContext): RecordSummary[] {
  const cls = text(r, 'class');
  if (!cls || !ON_HOST.has(cls)) return [];
  return ctx.related(r.id, 'hosted-on', 'out')
    .map((id) => ctx.summary(id))
    .filter((h): h is RecordSummary => h?.kind === 'asset');
}

function hostEvidence(host: RecordSummary, field: string, value: string): Evidence {
  return { source: 'roster', field: `host.${field}`, value, recordId: host.id };
}

export function unknownAsset(r: InventoryRecord, ctx: JudgeContext): FindingDraft | undefined {
  if (r.admission !== 'unknown') return undefined;
  // Workloads have their own kind (unregistered-workload), judged per controller.
  const cls = text(r, 'class');
  if (cls && WORKLOAD_CLASSES.has(cls)) return undefined;
  if (!r.sightings.some((s) => s.status === 'present')) return undefined;
  const hosts = hostsOf(r, ctx);
  // Admitted with its host; a host that is not admitted either raises its own finding.
  if (hosts.some((h) => h.admission === 'approved')) return undefined;
  const seenBy = [...new Set(r.sightings.map((s) => s.format))].join(', ');
  const on = hosts.length > 0 ? `, nor the host it runs on (${names(hosts)})` : '';
  return {
    kind: 'unknown-asset',
    message: `${r.name} is seen by ${seenBy} but no system of record has admitted it${on}`,
    evidence: [
      ...sightingEvidence(r),
      ...hosts.map((h) => hostEvidence(h, 'admission', h.admission)),
    ],
  };
}

export function unownedAsset(r: InventoryRecord, ctx: JudgeContext): FindingDraft | undefined {
  if (isRetired(r) || r.owner) return undefined;
  if (ctx.related(r.id, 'owned-by', 'out').length > 0) return undefined;
  const cls = text(r, 'class');
  if (cls && EPHEMERAL.has(cls) && text(r, 'k8s.ownerKind')) return undefined;
  // Owned by whoever owns the host it runs on.
  if (hostsOf(r, ctx).some((h) => h.owner || ctx.related(h.id, 'owned-by', 'out').length > 0)) {
    return undefined;
  }
  return {
    kind: 'unowned-asset',
    message: `${r.name} has no accountable owner in any source`,
    evidence: [...sightingEvidence(r), ...attrEvidence(r, 'class')],
  };
}

/** For assets and identities: an owner the directory says is no longer active. */
export function inactiveOwner(r: InventoryRecord, ctx: JudgeContext): FindingDraft | undefined {
  if (isRetired(r)) return undefined;
  for (const ownerId of ctx.related(r.id, 'owned-by', 'out')) {
    const owner = ctx.summary(ownerId);
    if (!owner || owner.active !== false) continue;
    return {
      kind: 'inactive-owner',
      message: `${r.name} is owned by ${owner.name}, who is no longer active`,
      evidence: [
        ...attrEvidence(r, 'owner'),
        { source: 'roster', field: 'owner.active', value: false, recordId: owner.id },
      ],
      detail: ownerId,
    };
  }
  return undefined;
}

export function retiredAssetActive(
  r: InventoryRecord,
  ctx: JudgeContext,
): FindingDraft | undefined {
  if (!isRetired(r)) return undefined;
  const reasons: string[] = [];
  const evidence: Evidence[] = [...attrEvidence(r, 'lifecycle'), ...attrEvidence(r, 'admission')];
  // Running only as a source that still lists it says: a feed that lost sight of the asset
  // no longer says it runs (its last word is evidence of the past, not of now).
  const runState = currentRunState(r);
  if (runState?.state === 'running') {
    reasons.push(`${runState.claim.source} reports it running`);
    evidence.push(...attrEvidence(r, 'runState'));
  }
  // Retired is final: a source that still says in service (an old export resent) is kept as
  // a conflicting claim and named here, never taken as a move back.
  const back = returningClaims(r);
  if (back.length > 0) {
    const by = new Map<string, string[]>();
    for (const c of back) by.set(c.source, [...(by.get(c.source) ?? []), String(c.value)]);
    const said = [...by].map(([source, values]) => `${source} reports it ${values.join(' and ')}`);
    reasons.push(`${said.join(' and ')} (retired is final)`);
  }
  const active = activeCredentialsOn(r.id, ctx);
  if (active.length > 0) {
    reasons.push(`${active.length} active credential(s) still bound to it`);
    for (const id of active) {
      evidence.push({ source: 'roster', field: 'credential.active', value: true, recordId: id });
    }
  }
  if (reasons.length === 0) return undefined;
  return {
    kind: 'retired-asset-active',
    message: `${r.name} is retired in the system of record, yet ${reasons.join(' and ')}`,
    evidence,
  };
}

/** Claims of present sources that a retired thing is admitted or in a live stage again. */
function returningClaims(r: InventoryRecord) {
  const lifecycle = (r.attributes['lifecycle']?.conflicts ?? [])
    .filter((c) => c.value !== 'retired' && c.value !== 'decommissioning');
  const admission = (r.attributes['admission']?.conflicts ?? [])
    .filter((c) => c.value === 'approved' && r.admission === 'retired');
  return [...(r.lifecycle === 'retired' ? lifecycle : []), ...admission];
}

/** Active credentials of the identities that run on an asset. */
export function activeCredentialsOn(assetId: string, ctx: JudgeContext): string[] {
  const out: string[] = [];
  for (const identity of ctx.related(assetId, 'runs-on', 'in')) {
    for (const cred of ctx.related(identity, 'belongs-to', 'in')) {
      const c = ctx.summary(cred);
      if (c && c.present && c.active !== false) out.push(cred);
    }
  }
  return out;
}

export function staleAsset(
  r: InventoryRecord,
  config: JudgeConfig,
  now: string,
): FindingDraft | undefined {
  if (isRetired(r)) return undefined;
  const discovered = r.sightings.filter((s) => s.discovered);
  if (discovered.length === 0) return undefined;
  const newest = discovered.reduce((a, b) => (b.lastSeen > a.lastSeen ? b : a));
  const window = freshnessWindow(config, text(r, 'class'));
  const age = daysBetween(newest.lastSeen, now);
  if (age <= window) return undefined;
  const message =
    `${r.name} was last seen ${age} days ago by ${newest.format}; its class allows ${window}`;
  return {
    kind: 'stale-asset',
    message,
    evidence: discovered.map((s) => ({
      source: s.source,
      format: s.format,
      field: 'lastSeen',
      value: s.lastSeen,
      asOf: s.lastSeen,
      runId: s.runId,
    })),
  };
}

/** For any kind: a source whose complete run no longer lists the thing. */
export function missingFromSource(r: InventoryRecord): FindingDraft[] {
  if (isRetired(r)) return [];
  return r.sightings
    .filter((s) => s.status === 'missing')
    .map((s) => ({
      kind: 'missing-from-source' as const,
      message:
        `${r.name} is no longer listed by ${s.format} in ${s.scope} (since ${s.missingSince})`,
      evidence: [
        {
          source: s.source,
          format: s.format,
          field: 'sighting',
          value: 'missing',
          asOf: s.missingSince ?? s.lastSeen,
          runId: s.runId,
        },
      ],
      detail: `${s.format}|${s.scope}`,
    }));
}

export function conflictingAttributes(
  r: InventoryRecord,
  ctx: JudgeContext,
  config: JudgeConfig,
): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const name of config.conflictAttributes) {
    const a = r.attributes[name];
    if (!a || a.conflicts.length === 0) continue;
    if (name === 'owner' && ownersAgree(r, ctx)) continue;
    const values = [a, ...a.conflicts].map((c) => `${c.source}: ${String(c.value)}`).join(', ');
    out.push({
      kind: 'conflicting-attributes',
      message: `sources disagree on ${name} of ${r.name} (${values}); ${a.source} wins`,
      evidence: attrEvidence(r, name),
      detail: name,
    });
  }
  for (const c of r.keyConflicts) {
    out.push({
      kind: 'conflicting-attributes',
      message: `${c.source} links ${r.name} by keys that disagree on ${c.keyType} ` +
        `(${c.values.join(' vs ')}); the records were not merged`,
      evidence: [{ source: c.source, field: c.keyType, value: c.values, asOf: c.asOf }],
      detail: `key:${c.keyType}:${c.values.join('|')}`,
    });
  }
  return out;
}

/**
 * Sources name one owner in different ways ("Maria Okafor" in the CMDB, her e-mail in a tag):
 * when every owned-by relation resolves to the same owner record, the names do not disagree.
 */
function ownersAgree(r: InventoryRecord, ctx: JudgeContext): boolean {
  const owners = ctx.related(r.id, 'owned-by', 'out');
  return owners.length === 1 && ctx.dangling(r.id, 'owned-by').length === 0;
}

function names(records: readonly RecordSummary[]): string {
  return records.map((h) => h.name).join(', ');
}
