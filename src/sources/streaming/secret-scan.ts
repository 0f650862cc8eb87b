import { isSecretField, looksLikeSecretValue } from '../../model/secrets.js';

/** Masks that exports write in place of a secret (`[redacted]` in CAI's GKE masterAuth). */
const MASK = /^(\[redacted\]|\(redacted\)|\*{3,}|•+)$/i;

/** Where a secret was found in a record: the field path only, never the value. */
export interface SecretHit {
  readonly field: string;
}

/**
 * Walks a parsed JSON record and returns the path of the first field that holds a secret
 * (DESIGN.md rule 5), e.g. `passwordCredentials[0].secretText`. Depth is capped so a hostile
 * document cannot exhaust the stack.
 */
export function findSecret(value: unknown, path = '', depth = 0): SecretHit | undefined {
  if (depth > 32 || value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    if (MASK.test(value.trim())) return undefined;
    const leaf = path.slice(path.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
    return isSecretField(leaf, value) || looksLikeSecretValue(value) ? { field: path } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findSecret(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }
  if (typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const hit = findSecret(v, path === '' ? k : `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}
