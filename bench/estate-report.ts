/**
 * IAM credential report rows of the synthetic estate (the CSV that `aws iam
 * get-credential-report` returns once decoded): `N/A` for what does not apply, the
 * `<root_account>` row with `not_supported` password fields, two key and two certificate slots.
 */
import { userArn, userName } from './estate-links.js';
import { userCreated, usersOf } from './estate-aws.js';
import { accountId, daysBefore, dice, isServiceUser, regionOf } from './estate-plan.js';
import type { EstatePlan } from './estate-plan.js';

export const REPORT_COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used',
  'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date',
  'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date',
  'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
] as const;

export type ReportRow = Record<(typeof REPORT_COLUMNS)[number], string>;

const NO_KEY = { active: 'false', rotated: 'N/A', used: 'N/A', region: 'N/A', service: 'N/A' };

/**
 * One access key slot: 12% of active keys were never used (unused-credential once past the
 * grace period), others were last used up to 200 days ago; rotation up to 500 days ago
 * (unrotated-credential past 90).
 */
function keySlot(u: number, slot: number, account: number, activeShare: number) {
  if (dice(u, 1100 + slot) >= activeShare) return NO_KEY;
  const rotatedDays = 1 + dice(u, 1110 + slot) * 500;
  const never = dice(u, 1120 + slot) < 0.12;
  const usedDays = Math.min(rotatedDays, dice(u, 1130 + slot) ** 2 * 200);
  return {
    active: 'true',
    rotated: daysBefore(rotatedDays),
    used: never ? 'N/A' : daysBefore(usedDays),
    region: never ? 'N/A' : regionOf(account),
    service: never ? 'N/A' : ['s3', 'ecr', 'sts', 'dynamodb'][u % 4]!,
  };
}

function withKeys(row: Omit<ReportRow, `access_key_${1 | 2}_${string}`>, k1: typeof NO_KEY,
  k2: typeof NO_KEY): ReportRow {
  return {
    ...row,
    access_key_1_active: k1.active, access_key_1_last_rotated: k1.rotated,
    access_key_1_last_used_date: k1.used, access_key_1_last_used_region: k1.region,
    access_key_1_last_used_service: k1.service,
    access_key_2_active: k2.active, access_key_2_last_rotated: k2.rotated,
    access_key_2_last_used_date: k2.used, access_key_2_last_used_region: k2.region,
    access_key_2_last_used_service: k2.service,
  } as ReportRow;
}

const NO_CERTS = { cert_1_active: 'false', cert_1_last_rotated: 'N/A', cert_2_active: 'false',
  cert_2_last_rotated: 'N/A' };

/** The root row: one account in five still has an active root access key. */
export function rootRow(account: number): ReportRow {
  const acct = accountId(account);
  const key = account % 5 === 0
    ? { active: 'true', rotated: daysBefore(900), used: daysBefore(40), region: 'us-east-1',
      service: 'iam' }
    : NO_KEY;
  return withKeys({
    user: '<root_account>', arn: `arn:aws:iam::${acct}:root`, user_creation_time: daysBefore(2000),
    password_enabled: 'not_supported', password_last_used: daysBefore(50),
    password_last_changed: 'not_supported', password_next_rotation: 'not_supported',
    mfa_active: 'true', ...NO_CERTS,
  }, key, NO_KEY);
}

/**
 * A user's row. People sign in with a password; 2% of service users do too, recently
 * (human-use-of-nhi).
 */
export function userRow(plan: EstatePlan, u: number, account: number): ReportRow {
  const service = isServiceUser(u);
  const password = !service || dice(u, 1140) < 0.02;
  return withKeys({
    user: userName(plan, u), arn: userArn(plan, u), user_creation_time: userCreated(u),
    password_enabled: password ? 'true' : 'false',
    password_last_used: password ? daysBefore(dice(u, 1141) * 30) : 'N/A',
    password_last_changed: password ? daysBefore(30 + dice(u, 1142) * 100) : 'N/A',
    password_next_rotation: 'N/A',
    mfa_active: !service && dice(u, 1143) < 0.9 ? 'true' : 'false',
    ...NO_CERTS,
  }, keySlot(u, 1, account, 0.85), keySlot(u, 2, account, 0.1));
}

export function* reportRowsOf(plan: EstatePlan, account: number): Generator<ReportRow> {
  yield rootRow(account);
  for (const u of usersOf(plan, account)) yield userRow(plan, u, account);
}
