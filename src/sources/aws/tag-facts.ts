import { normalizeKey } from '../../model/keys.js';
import type { AttrValue, Criticality, Key, Relation } from '../../model/types.js';
import { ownerRef, type OwnerRef } from './owner.js';
import type { RecordIssues } from './record-issues.js';
import { findTag, normalizeCriticality, normalizeEnvironment, type TagList } from './tags.js';

/** What tags say about a thing beyond the raw `aws.tag.*` values. */
export interface TagFacts {
  /** `environment`, `criticality`, `owner`, `purpose` when tagged. */
  readonly attributes: Record<string, AttrValue>;
  /** `owned-by` to the owner, when tagged. */
  readonly relations: Relation[];
  readonly owner?: OwnerRef;
}

/**
 * Reads environment, criticality, owner and purpose from tags in their common spellings
 * (`Env`, `Stage`, `BusinessCriticality`, `OwnerEmail`, `Contact`, `Team`, `Application`, …).
 * A criticality outside the known scale is reported and left out rather than guessed.
 */
export function tagFacts(tags: TagList, issues: RecordIssues): TagFacts {
  const attributes: Record<string, AttrValue> = {};
  const env = findTag(tags, 'environment');
  if (env) attributes['environment'] = normalizeEnvironment(env.value);
  const criticality = criticalityOf(tags, issues);
  if (criticality) attributes['criticality'] = criticality;
  const purpose = findTag(tags, 'purpose');
  if (purpose) attributes['purpose'] = purpose.value;

  const relations = runsOnRelations(tags);
  const ownerTag = findTag(tags, 'owner');
  const owner = ownerTag && ownerRef(ownerTag.value, /^team$/i.test(ownerTag.key.trim()));
  if (!owner) return { attributes, relations };
  attributes['owner'] = owner.display;
  return { attributes, relations: [...relations, { type: 'owned-by', target: owner.key }], owner };
}

/**
 * A `RunsOn` tag names the machine an identity acts from: an instance id (strong key) or a host
 * name (resolved to whichever record holds that name).
 */
function runsOnRelations(tags: TagList): Relation[] {
  const tag = findTag(tags, 'runsOn');
  if (!tag) return [];
  return tag.value
    .split(/[,\s]+/)
    .map((v) => normalizeKey('aws-instance-id', v) ?? normalizeKey('hostname', v))
    .filter((k): k is Key => k !== undefined)
    .map((target) => ({ type: 'runs-on' as const, target }));
}

function criticalityOf(tags: TagList, issues: RecordIssues): Criticality | undefined {
  const tag = findTag(tags, 'criticality');
  if (!tag) return undefined;
  const c = normalizeCriticality(tag.value);
  if (!c) {
    const message = `criticality '${tag.value}' is not on the known scale; kept only as a tag`;
    issues.warn('UNKNOWN_VALUE', `Tags.${tag.key}`, message);
  }
  return c;
}
