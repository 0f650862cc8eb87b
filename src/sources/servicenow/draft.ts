import type { Observation } from '../../model/types.js';

/**
 * An observation before its scope is known: the scope names the instance and table, which a
 * file tells only after some records (see scope.ts).
 */
export type Draft = Omit<Observation, 'scope'>;

export function withScope(draft: Draft, scope: string): Observation {
  return { ...draft, scope };
}
