import { z } from 'zod';
import { RosterError } from '../model/errors.js';

/**
 * Which source wins which attribute. Sources listed first win; unlisted sources come after
 * the listed ones; among equals the newest as-of wins. The CMDB decides owner, criticality and
 * admission; the control planes decide running state (issue #2, point 5).
 */
export type PrecedenceRules = Readonly<Record<string, readonly string[]>>;

const SYSTEMS_OF_RECORD = ['roster', 'cmdb', 'netbox', 'mapped'];
const CONTROL_PLANES = ['aws', 'gcp', 'k8s', 'entra', 'spire', 'endpoint', 'x509'];

export const DEFAULT_PRECEDENCE: PrecedenceRules = {
  admission: SYSTEMS_OF_RECORD,
  lifecycle: SYSTEMS_OF_RECORD,
  owner: [...SYSTEMS_OF_RECORD, 'entra', 'aws', 'gcp', 'k8s'],
  criticality: SYSTEMS_OF_RECORD,
  purpose: SYSTEMS_OF_RECORD,
  environment: [...SYSTEMS_OF_RECORD, ...CONTROL_PLANES],
  runState: [...CONTROL_PLANES, ...SYSTEMS_OF_RECORD],
  name: [...SYSTEMS_OF_RECORD, ...CONTROL_PLANES],
};

/**
 * Format of the observation by which Roster holds a retired record retired (retired is
 * final). It outranks sources that disagree, never the provenance of those that agree.
 */
export const RETIREMENT_HOLD_FORMAT = 'roster-retirement';

/** Attributes whose disagreement between sources is a finding (`conflicting-attributes`). */
export const DEFAULT_CONFLICT_ATTRIBUTES = ['owner', 'environment', 'criticality', 'lifecycle'];

export const precedenceSchema = z.record(z.string(), z.array(z.string().min(1)));

export function rankOf(rules: PrecedenceRules, attribute: string, source: string): number {
  const list = rules[attribute] ?? rules['*'];
  if (!list) return 0;
  const i = list.indexOf(source);
  return i < 0 ? list.length : i;
}

/** Merges user rules over the defaults: a user list replaces the default for that attribute. */
export function withUserPrecedence(user: unknown): PrecedenceRules {
  const parsed = precedenceSchema.safeParse(user ?? {});
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `precedence.${i.path.join('.')}: ${i.message}`);
    throw new RosterError('CONFIG', `invalid precedence rules: ${where.join('; ')}`);
  }
  return { ...DEFAULT_PRECEDENCE, ...parsed.data };
}
