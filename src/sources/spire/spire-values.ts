import { normalizeKey } from '../../model/keys.js';
import { arr, clusterFromScope, obj, str, type Obj } from '../k8s/k8s-values.js';

export { arr, obj, str, type Obj };

/**
 * A SPIFFE ID as SPIRE writes it: the `{trust_domain, path}` object of the v1 API and its CLI
 * JSON, or the URI string of older outputs and `entry create -data` files. Normalised (the
 * trust domain lower-cased), or undefined when it is not a SPIFFE ID.
 */
export function spiffeIdOf(v: unknown): string | undefined {
  const o = obj(v);
  if (o) {
    const td = str(o['trust_domain']);
    if (td === undefined) return undefined;
    const path = str(o['path']) ?? '';
    const slash = path !== '' && !path.startsWith('/') ? '/' : '';
    return normalizeKey('spiffe-id', `spiffe://${td}${slash}${path}`)?.value;
  }
  const s = str(v);
  return s === undefined ? undefined : normalizeKey('spiffe-id', s)?.value;
}

/** `example.org` from `spiffe://example.org/...`. */
export function trustDomainOf(spiffeId: string): string {
  return spiffeId.slice('spiffe://'.length).split('/')[0]!;
}

export function spireScope(trustDomain: string): string {
  return `spire:${trustDomain}`;
}

/**
 * An epoch-seconds field (`expires_at`, `created_at`, `x509svid_expires_at`). The protobuf JSON
 * mapping writes int64 as a string; 0 means "not set" (SPIRE's zero value), never 1970.
 */
export function epochSeconds(v: unknown): { value?: string; bad?: boolean } {
  const s = str(v);
  if (s === undefined) return {};
  if (!/^\d+$/.test(s)) return { bad: true };
  const n = Number(s);
  if (n === 0) return {};
  const d = new Date(n * 1000);
  return Number.isNaN(d.getTime()) ? { bad: true } : { value: d.toISOString() };
}

/** Selectors as SPIRE prints them: `type:value` (`k8s:ns:shop`, `unix:uid:1000`). */
export function selectorsOf(v: unknown): string[] {
  const out: string[] = [];
  for (const s of arr(v)) {
    const o = obj(s);
    const type = str(o?.['type']);
    const value = str(o?.['value']);
    if (type !== undefined && value !== undefined) out.push(`${type}:${value}`);
    else if (typeof s === 'string' && s.includes(':')) out.push(s);
  }
  return out;
}

/** The value of the first selector with this prefix (`k8s:ns:` → `shop`). */
export function selectorValue(selectors: readonly string[], prefix: string): string | undefined {
  const hit = selectors.find((s) => s.startsWith(prefix));
  return hit === undefined ? undefined : hit.slice(prefix.length);
}

/** The trust domain a `--scope spire:<trust domain>` names. */
export function trustDomainOption(scope: string | undefined): string | undefined {
  if (!scope?.startsWith('spire:')) return undefined;
  const td = scope.slice('spire:'.length).trim().toLowerCase();
  return td === '' ? undefined : td;
}

/** The cluster name from `--scope` (`k8s:prod`, `prod`, whole), ignoring SPIRE scopes. */
export function clusterOption(scope: string | undefined): string | undefined {
  return scope?.startsWith('spire:') ? undefined : clusterFromScope(scope);
}

export function number(v: unknown): number | undefined {
  const s = str(v);
  return s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined;
}

export function flag(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  return v === 'true' ? true : v === 'false' ? false : undefined;
}
