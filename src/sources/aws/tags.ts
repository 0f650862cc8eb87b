import type { AttrValue, Criticality } from '../../model/types.js';

/** AWS tags as `[Key, Value]` pairs in the order the API lists them. */
export type TagList = readonly (readonly [string, string])[];

/**
 * Reads an AWS `Tags` list (`[{"Key": "Owner", "Value": "…"}]`, the shape EC2 and IAM share).
 * Entries that are not key/value pairs are skipped and counted so that the caller can warn.
 */
export function readTags(raw: unknown): { tags: TagList; skipped: number } {
  if (!Array.isArray(raw)) return { tags: [], skipped: raw === undefined ? 0 : 1 };
  const tags: [string, string][] = [];
  let skipped = 0;
  for (const t of raw as unknown[]) {
    const o = (t ?? {}) as Record<string, unknown>;
    if (typeof o['Key'] === 'string' && typeof (o['Value'] ?? '') === 'string') {
      tags.push([o['Key'], (o['Value'] as string | undefined) ?? '']);
    } else {
      skipped++;
    }
  }
  return { tags, skipped };
}

/** Tag values that teams write where they mean "no value". */
const NONE_VALUES = new Set(['', 'null', 'none', 'nil', 'n/a', 'na', 'undefined', 'unknown', '-']);

export function isNoneTagValue(value: string): boolean {
  return NONE_VALUES.has(value.trim().toLowerCase());
}

/** Tag keys compared without case, spaces, `_`, `-` or `:`: `owner_email` is `OwnerEmail`. */
function foldKey(key: string): string {
  return key.toLowerCase().replace(/[\s_:-]/g, '');
}

/** The spellings of each concept, in order of preference. */
const SPELLINGS = {
  environment: ['environment', 'env', 'stage'],
  criticality: ['criticality', 'businesscriticality'],
  owner: ['owner', 'owneremail', 'contact', 'team'],
  purpose: ['purpose', 'application', 'service'],
  // Where an IAM user's keys are used from: Roster's convention for binding a service user to
  // the machine it serves (there is no AWS field for it), so offboarding can follow.
  runsOn: ['runson', 'rosterrunson', 'host', 'instance', 'instanceid'],
} as const;

export type TagConcept = keyof typeof SPELLINGS;

/** The first tag (by preferred spelling) that gives a real value for a concept. */
export function findTag(
  tags: TagList,
  concept: TagConcept,
): { key: string; value: string } | undefined {
  for (const spelling of SPELLINGS[concept]) {
    const hit = tags.find(([k, v]) => foldKey(k) === spelling && !isNoneTagValue(v));
    if (hit) return { key: hit[0], value: hit[1].trim() };
  }
  return undefined;
}

const ENVIRONMENTS: Readonly<Record<string, string>> = {
  prod: 'production',
  prd: 'production',
  production: 'production',
  stg: 'staging',
  stage: 'staging',
  staging: 'staging',
  qa: 'test',
  test: 'test',
  uat: 'test',
  dev: 'development',
  development: 'development',
  dr: 'dr',
};

/** Normalises an environment tag value; values outside the known set stay as written. */
export function normalizeEnvironment(value: string): string {
  return ENVIRONMENTS[value.trim().toLowerCase()] ?? value.trim();
}

const CRITICALITIES: Readonly<Record<string, Criticality>> = {
  critical: 'critical',
  tier0: 'critical',
  '1': 'critical',
  high: 'high',
  tier1: 'high',
  '2': 'high',
  medium: 'medium',
  tier2: 'medium',
  '3': 'medium',
  low: 'low',
  tier3: 'low',
  '4': 'low',
};

/** Normalises a criticality tag value (`Tier-0`, `1`, `High`), or undefined when unknown. */
export function normalizeCriticality(value: string): Criticality | undefined {
  return CRITICALITIES[value.trim().toLowerCase().replace(/[\s_-]/g, '')];
}

/** Every tag kept as `aws.tag.<Key>`, plus the `tags` list of `Key=Value`. */
export function tagAttributes(tags: TagList): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of tags) out[`aws.tag.${k}`] = v;
  if (tags.length > 0) out['tags'] = tags.map(([k, v]) => `${k}=${v}`);
  return out;
}
