/**
 * Whether an IAM user is a person or a machine. IAM does not say, so this is a heuristic: an
 * explicit tag wins, then naming conventions that teams use for service accounts. Anything
 * else counts as a human, the conservative choice for access reviews.
 */

const SERVICE_TAG_VALUES = new Set(['service', 'machine', 'bot', 'robot', 'automation']);
const HUMAN_TAG_VALUES = new Set(['human', 'person', 'user', 'employee']);
const TYPE_TAG_KEYS = new Set(['type', 'identitytype']);

/** Names like `svc-backup`, `backup-svc`, `build-bot`, `ci-runner`, `app-web`, `deployer`. */
const SERVICE_NAME_PATTERNS: readonly RegExp[] = [
  /^svc[-_.]/,
  /[-_.]svc$/,
  /[-_.]bot$/,
  /^ci[-_.]/,
  /^app[-_.]/,
  /[-_.]service$/,
  /^deploy/,
];

export type UserKind = 'human' | 'service';

/** Tags as `[Key, Value]` pairs. */
type TagPairs = readonly (readonly [string, string])[];

/**
 * Classifies an IAM user by its tags (`Type` or `IdentityType`) and then by its name.
 *
 * @example userKind('svc-reports') // 'service'
 * @example userKind('alice', [['IdentityType', 'bot']]) // 'service'
 */
export function userKind(name: string, tags: TagPairs = []): UserKind {
  const byTag = kindFromTags(tags);
  if (byTag) return byTag;
  const lower = name.trim().toLowerCase();
  return SERVICE_NAME_PATTERNS.some((p) => p.test(lower)) ? 'service' : 'human';
}

function kindFromTags(tags: TagPairs): UserKind | undefined {
  for (const [key, value] of tags) {
    if (!TYPE_TAG_KEYS.has(key.trim().toLowerCase().replace(/[-_\s]/g, ''))) continue;
    const v = value.trim().toLowerCase();
    if (SERVICE_TAG_VALUES.has(v)) return 'service';
    if (HUMAN_TAG_VALUES.has(v)) return 'human';
  }
  return undefined;
}
