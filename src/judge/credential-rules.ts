import type { InventoryRecord } from '../model/record.js';
import { daysBetween } from '../model/time.js';
import { isRetired } from './asset-rules.js';
import type { JudgeConfig } from './config.js';
import type { JudgeContext, RecordSummary } from './context.js';
import type { Evidence } from './finding.js';
import { attrEvidence, flag, type FindingDraft, text } from './make.js';

/** Rotating kinds: keys and secrets that should be replaced on a schedule. */
const ROTATING = new Set(['access-key', 'client-secret', 'service-account-key', 'ssh-key']);

/** A credential counts as active while some source lists it and none says it is disabled. */
export function isActiveCredential(r: InventoryRecord, now: string): boolean {
  if (!r.sightings.some((s) => s.status === 'present')) return false;
  if (flag(r, 'active') === false) return false;
  const expires = text(r, 'expiresAt');
  return !(expires && expires < now);
}

/** Why a credential is orphaned, and the records that show it beyond its identity. */
interface Orphaned {
  readonly reason: string;
  readonly evidence: readonly Evidence[];
}

const NO_EVIDENCE: readonly Evidence[] = [];

function orphanReason(
  identity: RecordSummary | undefined,
  ctx: JudgeContext,
): Orphaned | undefined {
  const why = (reason: string): Orphaned => ({ reason, evidence: NO_EVIDENCE });
  if (!identity) return why('its identity is not in the inventory');
  if (isRetired(identity)) return why(`its identity ${identity.name} is retired`);
  if (!identity.present) return why(`its identity ${identity.name} is missing from every source`);
  // A person's own keys answer to that person; the admission and ownership tests are for
  // non-human identities (and the root account, which is judged by root-access-key).
  const nonHuman = identity.identityType !== 'human' && identity.identityType !== 'root';
  if (nonHuman && identity.admission === 'unknown') {
    return why(`its identity ${identity.name} was never admitted by a system of record`);
  }
  const owned = identity.owner || ctx.related(identity.id, 'owned-by', 'out').length > 0;
  if (nonHuman && !owned) return why(`its identity ${identity.name} has no owner`);
  const assetIds = ctx.related(identity.id, 'runs-on', 'out');
  const assets = assetIds.map((id) => ctx.summary(id));
  const live = assets.filter((a) => a && !isRetired(a) && a.present);
  if (assets.length > 0 && live.length === 0) {
    return {
      reason: `every asset its identity ${identity.name} runs on is retired or gone`,
      evidence: assetIds.flatMap((id, i) => goneEvidence(id, assets[i])),
    };
  }
  return undefined;
}

/**
 * Evidence that an asset an identity runs on is no longer live: its name, its admission (when
 * a source gave it or it is retired) and lifecycle with the source and as-of time that gave
 * them, and `present: false` when no source lists it any more.
 */
function goneEvidence(id: string, a: RecordSummary | undefined): Evidence[] {
  if (!a) return [{ source: 'roster', field: 'runs-on', value: 'no such record', recordId: id }];
  const out: Evidence[] = [{ source: 'roster', field: 'runs-on', value: a.name, recordId: a.id }];
  if (a.admission === 'retired' || a.provenance?.admission) {
    out.push({ ...cited(a, 'admission'), field: 'admission', value: a.admission, recordId: a.id });
  }
  if (a.lifecycle !== null) {
    out.push({ ...cited(a, 'lifecycle'), field: 'lifecycle', value: a.lifecycle, recordId: a.id });
  }
  if (!a.present) out.push({ source: 'roster', field: 'present', value: false, recordId: a.id });
  return out;
}

type Cited = Pick<Evidence, 'source' | 'asOf'>;

function cited(a: RecordSummary, name: 'admission' | 'lifecycle'): Cited {
  const p = a.provenance?.[name];
  return p ? { source: p.source, asOf: p.asOf } : { source: 'roster' };
}

export function orphanedCredential(
  r: InventoryRecord,
  ctx: JudgeContext,
  now: string,
): FindingDraft | undefined {
  if (!isActiveCredential(r, now)) return undefined;
  const identities = ctx.related(r.id, 'belongs-to', 'out');
  const dangling = ctx.dangling(r.id, 'belongs-to');
  if (identities.length === 0 && dangling.length === 0) return undefined;
  const reasons = identities.map((id) => orphanReason(ctx.summary(id), ctx));
  if (identities.length === 0) reasons.push(orphanReason(undefined, ctx));
  const first = reasons.find((x) => x !== undefined);
  if (!first || reasons.some((x) => x === undefined)) return undefined;
  const evidence: Evidence[] = [
    ...attrEvidence(r, 'active'),
    ...identities.map((id) => ({ source: 'roster', field: 'belongs-to', value: id, recordId: id })),
    ...dangling.map((k) => ({
      source: 'roster',
      field: 'belongs-to',
      value: `${k.type}:${k.value}`,
    })),
    ...reasons.flatMap((x) => x?.evidence ?? NO_EVIDENCE),
  ];
  const message = `${r.name} is active but ${first.reason}`;
  return { kind: 'orphaned-credential', message, evidence };
}

export function unusedCredential(
  r: InventoryRecord,
  config: JudgeConfig,
  now: string,
): FindingDraft | undefined {
  if (!isActiveCredential(r, now)) return undefined;
  const type = text(r, 'credentialType');
  if (type && !ROTATING.has(type)) return undefined;
  const lastUsed = text(r, 'lastUsedAt');
  const created = text(r, 'createdAt') ?? text(r, 'rotatedAt');
  if (lastUsed) {
    const idle = daysBetween(lastUsed, now);
    if (idle < config.unusedDays) return undefined;
    return {
      kind: 'unused-credential',
      message: `${r.name} has not been used for ${idle} days (limit ${config.unusedDays})`,
      evidence: attrEvidence(r, 'lastUsedAt'),
    };
  }
  // Only a source that reports use (and so would have named a last use) may say "never used";
  // a listing that says nothing of use (aws iam list-access-keys) is no evidence of disuse.
  if (!created || flag(r, 'usageTracked') !== true) return undefined;
  const age = daysBetween(created, now);
  if (age < config.newCredentialGraceDays) return undefined;
  return {
    kind: 'unused-credential',
    message: `${r.name} was created ${age} days ago and has never been used`,
    evidence: [...attrEvidence(r, 'createdAt'), ...attrEvidence(r, 'usageTracked')],
  };
}

export function unrotatedCredential(
  r: InventoryRecord,
  config: JudgeConfig,
  now: string,
): FindingDraft | undefined {
  if (!isActiveCredential(r, now)) return undefined;
  const type = text(r, 'credentialType');
  if (!type || !ROTATING.has(type)) return undefined;
  const rotated = text(r, 'rotatedAt') ?? text(r, 'createdAt');
  if (!rotated) return undefined;
  const field = r.attributes['rotatedAt'] ? 'rotatedAt' : 'createdAt';
  if (Date.parse(rotated) > Date.parse(now)) {
    // A rotation after the judging instant is impossible (a source's clock or a forged
    // export): its age cannot be vouched for, so the key is not taken as freshly rotated.
    return {
      kind: 'unrotated-credential',
      message: `${r.name} was last rotated at ${rotated} by its source, after the judging time ` +
        `${now}: an impossible time, so how long it has gone unrotated is unknown`,
      evidence: attrEvidence(r, field),
    };
  }
  const age = daysBetween(rotated, now);
  if (age <= config.rotationDays) return undefined;
  return {
    kind: 'unrotated-credential',
    message: `${r.name} was last rotated ${age} days ago (limit ${config.rotationDays})`,
    evidence: attrEvidence(r, field),
  };
}

export function rootAccessKey(
  r: InventoryRecord,
  ctx: JudgeContext,
  now: string,
): FindingDraft | undefined {
  if (!isActiveCredential(r, now) || text(r, 'credentialType') !== 'access-key') return undefined;
  const root = ctx
    .related(r.id, 'belongs-to', 'out')
    .map((id) => ctx.summary(id))
    .find((s) => s?.identityType === 'root');
  if (!root) return undefined;
  return {
    kind: 'root-access-key',
    message: `the root account ${root.name} has an active access key (${r.name})`,
    evidence: [
      ...attrEvidence(r, 'active'),
      { source: 'roster', field: 'identityType', value: 'root', recordId: root.id },
    ],
  };
}

export function expiredCredential(r: InventoryRecord, now: string): FindingDraft | undefined {
  const expires = text(r, 'expiresAt');
  if (!expires || expires >= now) return undefined;
  if (!r.sightings.some((s) => s.status === 'present')) return undefined;
  if (flag(r, 'active') === false) return undefined;
  return {
    kind: 'expired-credential',
    message: `${r.name} expired ${daysBetween(expires, now)} days ago and is still listed`,
    evidence: attrEvidence(r, 'expiresAt'),
  };
}

export function expiringCredential(
  r: InventoryRecord,
  config: JudgeConfig,
  now: string,
): FindingDraft | undefined {
  const expires = text(r, 'expiresAt');
  if (!expires || expires < now || !isActiveCredential(r, now)) return undefined;
  const left = daysBetween(now, expires);
  if (left > config.expiringDays) return undefined;
  return {
    kind: 'expiring-credential',
    message: `${r.name} expires in ${left} days (window ${config.expiringDays})`,
    evidence: attrEvidence(r, 'expiresAt'),
  };
}

const NEVER_EXPIRES = ['neverExpires', 'x509.neverExpires'];

/** No expiry at all, or a lifetime longer than policy allows (NHI7). */
export function longLivedCredential(
  r: InventoryRecord,
  config: JudgeConfig,
  now: string,
): FindingDraft | undefined {
  if (!isActiveCredential(r, now)) return undefined;
  const type = text(r, 'credentialType');
  if (!type || type === 'access-key' || type === 'trust-bundle-ca') return undefined;
  if (flag(r, 'isCa')) return undefined;
  const expires = text(r, 'expiresAt');
  const start = text(r, 'notBefore') ?? text(r, 'createdAt');
  const never = NEVER_EXPIRES.find((name) => flag(r, name) === true);
  // X.509's 99991231235959Z and GCP's 9999-12-31 both mean "no well-defined expiration".
  if (never || (expires && expires >= '9999-01-01')) {
    return {
      kind: 'long-lived-credential',
      message: `${r.name} never expires`,
      evidence: attrEvidence(r, never ?? 'expiresAt'),
    };
  }
  if (!expires) return undefined;
  if (!start) return undefined;
  const lifetime = daysBetween(start, expires);
  if (lifetime <= config.maxCredentialLifetimeDays) return undefined;
  return {
    kind: 'long-lived-credential',
    message: `${r.name} lives ${lifetime} days (limit ${config.maxCredentialLifetimeDays})`,
    evidence: [...attrEvidence(r, 'notBefore'), ...attrEvidence(r, 'expiresAt')],
  };
}
