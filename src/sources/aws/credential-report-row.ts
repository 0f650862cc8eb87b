import { normalizeKey } from '../../model/keys.js';
import { isSecretField } from '../../model/secrets.js';
import type { AttrValue, Key, Observation, Rejection } from '../../model/types.js';
import { compact } from '../common.js';
import { accountOfArn } from './arn.js';
import { userKind } from './identity-type.js';
import type { RecordIssues } from './record-issues.js';
import { ReportRowReader, type ReportAsOf } from './report-row-reader.js';

/** One row of the report: column name → cell text. */
export type ReportRow = Readonly<Record<string, string>>;

/** What one row says: the user (or root) and each credential slot in use. */
export interface ReportRowResult {
  readonly arn: string;
  readonly account: string;
  readonly identity: Observation;
  readonly credentials: readonly Observation[];
}

/** The report's four credential slots per user (IAM User Guide, credential report format). */
const SLOTS = [
  { prefix: 'access_key_1', id: 'access-key-1', type: 'access-key', label: 'access key 1' },
  { prefix: 'access_key_2', id: 'access-key-2', type: 'access-key', label: 'access key 2' },
  { prefix: 'cert_1', id: 'cert-1', type: 'signing-certificate', label: 'signing certificate 1' },
  { prefix: 'cert_2', id: 'cert-2', type: 'signing-certificate', label: 'signing certificate 2' },
] as const;

type Slot = (typeof SLOTS)[number];

const ROOT_USER = '<root_account>';

/**
 * Turns one credential-report row into an identity and its credentials, or a rejection.
 * `extraColumns` are columns the report format does not define: kept as `aws.report.<name>`.
 */
export function convertReportRow(
  row: ReportRow,
  issues: RecordIssues,
  opts: { asOf?: ReportAsOf; line?: number; extraColumns?: readonly string[] } = {},
): ReportRowResult | Rejection {
  const secret = Object.keys(row).find((column) => isSecretField(column, row[column]));
  if (secret) return issues.reject('SECRET_REFUSED', secret, secretMessage(secret));
  const user = row['user']?.trim();
  const arn = row['arn']?.trim() ?? '';
  if (!user) return issues.reject('BAD_INPUT', 'user', 'the user name is empty');
  const account = accountOfArn(arn);
  if (!account) return issues.reject('BAD_INPUT', 'arn', `'${arn}' is not an IAM ARN`);

  const read = new ReportRowReader(row, issues, opts.asOf);
  const scope = `aws:${account}`;
  const base = { scope, line: opts.line };
  const credentials = SLOTS.flatMap((slot) => slotObservation(read, slot, user, arn, base));
  const extra = Object.fromEntries(
    (opts.extraColumns ?? []).map((column) => [`aws.report.${column}`, read.text(column)]),
  );
  const identity = identityObservation(read, { user, arn, account, extra }, credentials, base);
  if (read.error) return issues.reject('BAD_INPUT', read.error.field, read.error.message);
  return { arn, account, identity, credentials };
}

/** The message for a refused secret: it names the field, never the value. */
export function secretMessage(field: string): string {
  return `field '${field}' holds what looks like a secret value; refused and not kept`;
}

interface Base {
  readonly scope: string;
  readonly line: number | undefined;
}

interface Who {
  readonly user: string;
  readonly arn: string;
  readonly account: string;
  readonly extra: Record<string, string | undefined>;
}

function identityObservation(
  read: ReportRowReader,
  { user, arn, account, extra }: Who,
  credentials: readonly Observation[],
  base: Base,
): Observation {
  const isRoot = user === ROOT_USER;
  const passwordLastUsedAt = read.time('password_last_used');
  const attributes = compact({
    name: user,
    identityType: isRoot ? 'root' : userKind(user),
    createdAt: read.time('user_creation_time'),
    passwordEnabled: read.bool('password_enabled'),
    passwordLastUsedAt,
    passwordLastChangedAt: read.time('password_last_changed'),
    'aws.passwordNextRotationAt': read.time('password_next_rotation', true),
    mfaActive: read.bool('mfa_active'),
    lastUsedAt: latest([passwordLastUsedAt, ...credentials.map((c) => c.attributes['lastUsedAt'])]),
    account,
    ...extra,
  });
  // Every account's root is called <root_account>: as a name key it would suggest matches
  // between unrelated accounts, so the root is known by its ARN alone.
  const keys = presentKeys([['aws-arn', arn], ['name', isRoot ? undefined : user]]);
  return withLine({ kind: 'identity', sourceId: arn, scope: base.scope, keys, attributes }, base);
}

/**
 * A slot is in use when it is active or carries a rotation date (an inactive key still
 * exists). Its id includes the rotation time: a key rotated since the last report is a new
 * credential, and the old one is then missing from the run.
 */
function slotObservation(
  read: ReportRowReader,
  slot: Slot,
  user: string,
  arn: string,
  base: Base,
): Observation[] {
  const active = read.bool(`${slot.prefix}_active`);
  const rotatedAt = read.time(`${slot.prefix}_last_rotated`);
  if (active !== true && rotatedAt === undefined) return [];
  const sourceId = rotatedAt ? `${arn}#${slot.id}@${rotatedAt}` : `${arn}#${slot.id}`;
  const hasUsage = slot.type === 'access-key';
  const attributes = compact({
    name: `${user} ${slot.label}`,
    credentialType: slot.type,
    active,
    createdAt: rotatedAt,
    rotatedAt,
    lastUsedAt: hasUsage ? read.time(`${slot.prefix}_last_used_date`) : undefined,
    // The report names every access key's last use; N/A there means never used.
    usageTracked: hasUsage ? true : undefined,
    'aws.lastUsedRegion': hasUsage ? read.text(`${slot.prefix}_last_used_region`) : undefined,
    'aws.lastUsedService': hasUsage ? read.text(`${slot.prefix}_last_used_service`) : undefined,
  });
  const obs: Observation = {
    kind: 'credential',
    sourceId,
    scope: base.scope,
    keys: presentKeys([['aws-credential-slot', sourceId]]),
    attributes,
    relations: [{ type: 'belongs-to', target: { type: 'aws-arn', value: arn } }],
  };
  return [withLine(obs, base)];
}

function presentKeys(pairs: readonly (readonly [Key['type'], string | undefined])[]): Key[] {
  return pairs.flatMap(([type, raw]) => normalizeKey(type, raw) ?? []);
}

function latest(values: readonly (AttrValue | undefined)[]): string | undefined {
  const times = values.filter((v): v is string => typeof v === 'string').sort();
  return times[times.length - 1];
}

function withLine(obs: Observation, base: Base): Observation {
  return base.line === undefined ? obs : { ...obs, line: base.line };
}
