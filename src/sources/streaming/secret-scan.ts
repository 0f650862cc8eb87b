import { isSecretField, looksLikeSecretValue } from '../../model/secrets.js';
import { MAX_JSON_DEPTH, tooDeepMessage } from '../json-depth.js';

/** Masks that exports write in place of a secret (`[redacted]` in CAI's GKE masterAuth). */
const MASK = /^(\[redacted\]|\(redacted\)|\*{3,}|•+)$/i;

/** Why a record was refused by the scan: the field path only, never the value. */
export interface SecretHit {
  readonly field: string;
  /** The record nests deeper than MAX_JSON_DEPTH: the scan could not see all of it. */
  readonly tooDeep?: boolean;
}

/**
 * Walks a parsed JSON record and returns the path of the first field, in document order, that
 * holds a secret (DESIGN.md rule 5), e.g. `passwordCredentials[0].secretText`. The walk keeps
 * its own stack, so a hostile document cannot exhaust the call stack; a record nested deeper
 * than MAX_JSON_DEPTH is a hit of its own (`tooDeep`), since what lies below went unseen.
 */
export function findSecret(value: unknown, path = ''): SecretHit | undefined {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { v, depth } = top;
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') {
      if (MASK.test(v.trim())) continue;
      const leaf = top.path.slice(top.path.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
      if (isSecretField(leaf, v) || looksLikeSecretValue(v)) return { field: top.path };
      continue;
    }
    if (typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { field: top.path, tooDeep: true };
    // Children pushed last first, so that they are walked in document order.
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ v: v[i], path: `${top.path}[${i}]`, depth: depth + 1 });
      }
      continue;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i]!;
      stack.push({ v: child, path: top.path === '' ? k : `${top.path}.${k}`, depth: depth + 1 });
    }
  }
  return undefined;
}

/** The rejection a hit makes: a secret refused, or a record too deep to be scanned whole. */
export function refusalOf(hit: SecretHit, why = 'secret value refused, not stored') {
  return hit.tooDeep
    ? { code: 'TOO_DEEP' as const, message: tooDeepMessage() }
    : { code: 'SECRET_REFUSED' as const, message: why };
}
