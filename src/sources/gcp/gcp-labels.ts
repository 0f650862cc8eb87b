import type { AttrValue, Observation, Relation } from '../../model/types.js';
import { CRITICALITIES } from '../../model/types.js';
import { normalizeKey } from '../../model/keys.js';
import { asObject, asString, type Json } from '../streaming/values.js';

/** What a resource's labels say, in Roster's words. */
export interface LabelRead {
  readonly attributes: Record<string, AttrValue>;
  readonly relations: Relation[];
  readonly owner?: Observation;
  /** A criticality label whose value is not one of Roster's levels. */
  readonly unknownCriticality?: string;
}

const ENVIRONMENTS: Readonly<Record<string, string>> = {
  prod: 'production',
  prd: 'production',
  production: 'production',
  stage: 'staging',
  staging: 'staging',
  stg: 'staging',
  test: 'test',
  qa: 'test',
  uat: 'test',
  dev: 'development',
  development: 'development',
  dr: 'dr',
};

/**
 * GCP labels (lower-case keys and values, `[a-z0-9_-]`) kept as `gcp.label.<key>`, and the
 * conventional ones read: `env`/`environment`, `owner`/`team`, `criticality`.
 */
export function readLabels(labels: unknown, scope: string, line: number): LabelRead {
  const map = asObject(labels) ?? {};
  const attributes: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(map)) {
    const value = asString(v);
    if (value !== undefined) attributes[`gcp.label.${k}`] = value;
  }
  const env = asString(map.environment ?? map.env);
  if (env) attributes.environment = ENVIRONMENTS[env.toLowerCase()] ?? env;
  const crit = asString(map.criticality)?.toLowerCase();
  const known = crit && (CRITICALITIES as readonly string[]).includes(crit);
  if (known) attributes.criticality = crit;
  const owner = ownerOf(map, scope, line);
  if (owner) attributes.owner = owner.name;
  return {
    attributes,
    relations: owner ? [{ type: 'owned-by', target: owner.observation.keys[0]! }] : [],
    owner: owner?.observation,
    unknownCriticality: crit && !known ? crit : undefined,
  };
}

function ownerOf(
  map: Json,
  scope: string,
  line: number,
): { name: string; observation: Observation } | undefined {
  const team = asString(map.team);
  const name = asString(map.owner) ?? team;
  const key = normalizeKey('owner', name);
  if (!name || !key) return undefined;
  const observation: Observation = {
    kind: 'owner',
    sourceId: `owner:${key.value}`,
    scope,
    keys: [key],
    attributes: asString(map.owner) ? { name } : { name, ownerType: 'team' },
    line,
  };
  return { name, observation };
}
