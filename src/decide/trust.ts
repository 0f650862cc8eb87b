import type { OpenFinding, OwnerStatus } from './facts.js';

/**
 * Trust tiers in the manner of BeyondCorp: a subject's tier follows from what the inventory
 * knows of it, and each resource requires a minimum tier derived from its criticality.
 *
 * 0 untrusted: unknown to the inventory, retired or being decommissioned.
 * 1 basic:     known, but not admitted, stale, unowned, owned by an inactive owner, or with an
 *              open high or critical finding.
 * 2 managed:   admitted, owned, not stale, no open high or critical finding.
 * 3 high:      managed, seen by discovery within its window, proven by a verified workload
 *              identity (SPIFFE SVID), and no open finding of medium severity or above.
 */
export type TrustTier = 0 | 1 | 2 | 3;

export type Freshness = 'fresh' | 'stale' | 'unseen';

export interface TierInput {
  readonly known: boolean;
  readonly admission: string;
  readonly lifecycle: string | undefined;
  readonly freshness: Freshness;
  readonly ownerStatus: OwnerStatus;
  readonly findings: readonly OpenFinding[];
  readonly proven: boolean;
}

export interface TierResult {
  readonly tier: TrustTier;
  /** Why the tier is not higher, in words. */
  readonly limit: string;
}

const SERIOUS = new Set(['high', 'critical']);
const NOTABLE = new Set(['medium', 'high', 'critical']);

export function trustTier(s: TierInput): TierResult {
  if (!s.known) return { tier: 0, limit: 'not in the inventory' };
  if (s.admission === 'retired' || s.lifecycle === 'retired') return { tier: 0, limit: 'retired' };
  if (s.lifecycle === 'decommissioning') return { tier: 0, limit: 'being decommissioned' };
  const basic = basicLimit(s);
  if (basic) return { tier: 1, limit: basic };
  if (s.freshness !== 'fresh') return { tier: 2, limit: 'not seen by discovery' };
  if (!s.proven) return { tier: 2, limit: 'no verified workload proof' };
  if (s.findings.some((f) => NOTABLE.has(f.severity))) {
    return { tier: 2, limit: 'open findings of medium severity or above' };
  }
  return { tier: 3, limit: 'highest tier' };
}

function basicLimit(s: TierInput): string | undefined {
  if (s.admission !== 'approved') return 'not admitted by a system of record';
  if (s.freshness === 'stale') return 'stale';
  if (s.ownerStatus === 'none') return 'no owner';
  if (s.ownerStatus === 'inactive') return 'owner inactive';
  if (s.findings.some((f) => SERIOUS.has(f.severity))) return 'open high or critical findings';
  return undefined;
}

const MIN_TIER: Readonly<Record<string, TrustTier>> = { low: 1, medium: 1, high: 2, critical: 3 };

/** The tier a resource requires, or undefined when its criticality is not known. */
export function minTrustTier(criticality: string | undefined): TrustTier | undefined {
  return criticality === undefined ? undefined : MIN_TIER[criticality];
}

export function isProduction(environment: string | undefined): boolean {
  return environment === 'production';
}
