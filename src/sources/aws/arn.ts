/**
 * Amazon Resource Names, as AWS documents them:
 * `arn:<partition>:<service>:<region>:<account-id>:<resource>`, where the resource part may
 * itself hold colons and slashes. IAM ARNs have an empty region.
 */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  /** Twelve digits kept as a string (leading zeros matter), or `aws` for AWS-managed things. */
  readonly account: string;
  readonly resource: string;
}

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

/**
 * Splits an ARN into its parts, or returns undefined when the text is not one.
 *
 * @example parseArn('arn:aws:iam::111122223333:user/ops/alice')?.account // '111122223333'
 */
export function parseArn(raw: string): Arn | undefined {
  const m = ARN.exec(raw.trim());
  if (!m) return undefined;
  return {
    partition: m[1]!,
    service: m[2]!,
    region: m[3]!,
    account: m[4] ?? '',
    resource: m[5]!,
  };
}

/** The twelve-digit account id an ARN belongs to, when it names one. */
export function accountOfArn(raw: string): string | undefined {
  const account = parseArn(raw)?.account;
  return account && /^\d{12}$/.test(account) ? account : undefined;
}
