/**
 * The shape of a synthetic estate of N records, and the deterministic dice that decide each
 * record's facts. Everything derives from indices, so the same N gives the same estate, and the
 * baseline can re-create exactly the rows that were written to the export files.
 */

/** Instant the exports were "generated" at, and the instant the estate is judged at. */
export const AS_OF = '2026-12-01T06:00:00Z';
export const JUDGE_AT = '2026-12-01T12:00:00Z';

/** Records (rows or objects) of one estate, by the export that carries them. */
export interface EstatePlan {
  readonly records: number;
  /** AWS accounts; each has its own EC2 listing, IAM details and credential report. */
  readonly accounts: number;
  readonly instances: number;
  /** Instances that also have a CMDB row (object_id = instance id). */
  readonly cloudServers: number;
  /** CMDB servers with no cloud counterpart (serial numbers, discovered on premises). */
  readonly onPremServers: number;
  readonly iamUsers: number;
  readonly iamRoles: number;
  /** Service users that the CMDB lists as cmdb_ci_service_account. */
  readonly serviceAccounts: number;
  /** Credential report rows: every user, plus the root row of each account. */
  readonly reportRows: number;
}

/** Roughly one AWS account per 20,000 records, as an estate of that size would have. */
const RECORDS_PER_ACCOUNT = 20_000;

export function planEstate(records: number): EstatePlan {
  if (!Number.isInteger(records) || records < 1000) {
    throw new Error('--records must be an integer of at least 1000');
  }
  const accounts = Math.max(1, Math.round(records / RECORDS_PER_ACCOUNT));
  const instances = Math.round(records * 0.33);
  const iamUsers = Math.round(records * 0.1);
  const iamRoles = Math.round(records * 0.08);
  const cloudServers = countUpTo(instances, hasCmdbRow);
  const serviceAccounts = countUpTo(iamUsers, hasServiceAccountRow);
  const reportRows = iamUsers + accounts;
  const rest = instances + cloudServers + iamUsers + iamRoles + serviceAccounts + reportRows;
  const onPremServers = records - rest;
  if (onPremServers < 0) throw new Error(`cannot fit an estate into ${records} records`);
  return {
    records,
    accounts,
    instances,
    cloudServers,
    onPremServers,
    iamUsers,
    iamRoles,
    serviceAccounts,
    reportRows,
  };
}

function countUpTo(n: number, test: (i: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (test(i)) count++;
  return count;
}

/** A number in [0, 1) from an index and a salt: the same inputs always give the same number. */
export function dice(i: number, salt: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Lower-case hex of `width` digits derived from an index (ids, serials, sys_ids). */
export function hexOf(i: number, salt: number, width: number): string {
  let out = '';
  let k = 0;
  while (out.length < width) {
    const word = Math.floor(dice(i, salt * 31 + k++) * 0x100000000);
    out += word.toString(16).padStart(8, '0');
  }
  return out.slice(0, width);
}

/** 90% of instances are in the CMDB; the rest are unknown assets. */
export function hasCmdbRow(instance: number): boolean {
  return instance % 10 !== 9;
}

/** 70% of IAM users are service users. */
export function isServiceUser(user: number): boolean {
  return user % 10 < 7;
}

/** Most service users are registered in the CMDB; one in six is not (never admitted). */
export function hasServiceAccountRow(user: number): boolean {
  return isServiceUser(user) && user % 6 !== 5;
}

export function accountId(account: number): string {
  // Leading zeros are kept: account ids are identifiers, not numbers (DESIGN.md rule 2).
  return String(48_211_339_100 + account * 7_919).padStart(12, '0');
}

export const REGIONS = ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-west-2'];

export function regionOf(account: number): string {
  return REGIONS[account % REGIONS.length]!;
}

export function instanceId(i: number): string {
  return `i-0${hexOf(i, 1, 16)}`;
}

export function instanceName(i: number): string {
  return `app-${String(i).padStart(7, '0')}`;
}

export function ipOf(i: number, net: number): string {
  return `10.${net}.${(i >>> 8) & 255}.${i & 255}`;
}

export function macOf(i: number, prefix: string): string {
  const h = hexOf(i, 7, 8);
  return `${prefix}:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}`;
}

const FIRST = ['Maria', 'Jonas', 'Petra', 'Ahmed', 'Li', 'Sofia', 'Kwame', 'Elena', 'Tomas',
  'Aisha', 'Noah', 'Ingrid', 'Ravi', 'Chloe', 'Mateo', 'Yuki', 'Olga', 'Samir', 'Hanna', 'Diego'];
const LAST = ['Okafor', 'Berg', 'Lind', 'Haddad', 'Wei', 'Rossi', 'Mensah', 'Novak', 'Dvorak',
  'Bello', 'Fischer', 'Holm', 'Iyer', 'Martin', 'Lopez', 'Sato', 'Ivanova', 'Khan', 'Nyberg'];

/** One person of a pool of about N/100 people; the same person owns many things. */
export function personOf(
  plan: EstatePlan, i: number, salt: number,
): { name: string; email: string } {
  const pool = Math.max(20, Math.floor(plan.records / 100));
  const p = Math.floor(dice(i, salt) * pool);
  const first = FIRST[p % FIRST.length]!;
  const last = LAST[Math.floor(p / FIRST.length) % LAST.length]!;
  const n = Math.floor(p / (FIRST.length * LAST.length));
  const name = n === 0 ? `${first} ${last}` : `${first} ${last} ${n + 1}`;
  const email = `${first}.${last}${n === 0 ? '' : n + 1}@corp.example`.toLowerCase();
  return { name, email };
}

export const TEAMS = ['Web Platform', 'Data Platform', 'Infrastructure', 'Payments', 'Identity',
  'Search', 'Analytics', 'Mobile Backend', 'Messaging', 'Office IT'];

/** An ISO instant `days` (may be fractional) before the as-of time. */
export function daysBefore(days: number): string {
  return new Date(Date.parse(AS_OF) - days * 86_400_000).toISOString().replace('.000Z', '+00:00');
}

/** Local CMDB text time (`2026-11-30 06:10:00`) `days` before the as-of time. */
export function cmdbTime(days: number): string {
  const iso = new Date(Date.parse(AS_OF) - days * 86_400_000).toISOString();
  return iso.slice(0, 19).replace('T', ' ');
}

/** The account and position within it of the i-th of `count` things spread over accounts. */
export function placeOf(plan: EstatePlan, i: number): { account: number; local: number } {
  return { account: i % plan.accounts, local: Math.floor(i / plan.accounts) };
}

/** How many of `count` things spread round-robin land in `account`. */
export function countIn(plan: EstatePlan, count: number, account: number): number {
  return Math.floor(count / plan.accounts) + (account < count % plan.accounts ? 1 : 0);
}
