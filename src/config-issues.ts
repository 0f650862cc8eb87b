import type { z } from 'zod';

/**
 * Config errors in words: the path of the setting, and for an unknown key the nearest known
 * one (`judge.rotationDay: unknown setting; did you mean rotationDays?`).
 */
export function describeConfigIssues(schema: z.ZodType, error: z.ZodError): string[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code !== 'unrecognized_keys') {
      return [`${at.join('.') || '(root)'}: ${issue.message}`];
    }
    const known = keysAt(schema, at);
    return issue.keys.map((key) => {
      const near = nearest(key, known);
      return `${[...at, key].join('.')}: unknown setting` +
        (near ? `; did you mean ${near}?` : known.length ? ` (known: ${known.join(', ')})` : '');
    });
  });
}

interface Def {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The object keys a schema accepts at a path (array indexes and record keys pass through). */
function keysAt(schema: z.ZodType, path: readonly string[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (let i = 0; s; ) {
    const d = defOf(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe') s = d.in;
    else if (i === path.length) return d.shape ? Object.keys(d.shape) : [];
    else if (d.shape) s = d.shape[path[i++]!];
    else if (d.element ?? d.valueType) {
      s = d.element ?? d.valueType;
      i++;
    } else return [];
  }
  return [];
}

/** The known key nearest to a typo: same letters but for case, or at most two edits away. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : distance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const swap = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, swap);
    }
    prev = row;
  }
  return prev[b.length]!;
}
