/**
 * An AWS IAM credential report for tests, written out here rather than taken from the parser's
 * own column list, so that a parser that drifts from IAM's format fails them.
 */
export const REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,' +
  'password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,' +
  'access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,' +
  'access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,' +
  'cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/**
 * The row of a user with no password, no MFA and one active access key last rotated at
 * `rotated` (any text: a test may pass a bad time).
 */
export function reportRow(user: string, rotated: string): string {
  return `${user},arn:aws:iam::012345678901:user/${user},2024-01-01T00:00:00+00:00,false,N/A,` +
    `N/A,N/A,false,true,${rotated},N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
}
