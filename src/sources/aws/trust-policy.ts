import { isObject, type JsonObject } from './json-document.js';

/** Who a role's trust policy lets assume it. */
export interface TrustedPrincipals {
  /** Service principals, e.g. `ec2.amazonaws.com`. */
  readonly services: string[];
  /** AWS account/role/user principals and federated providers, e.g. an OIDC provider ARN. */
  readonly others: string[];
}

/**
 * Reads the `Allow` statements of a role's trust policy (`AssumeRolePolicyDocument`). The IAM
 * API returns it URL-encoded (RFC 3986) while the CLI prints it decoded: both are accepted.
 * Returns undefined when the document cannot be read.
 *
 * @example trustedPrincipals('%7B%22Statement%22%3A…')?.services // ['lambda.amazonaws.com']
 */
export function trustedPrincipals(raw: unknown): TrustedPrincipals | undefined {
  const doc = typeof raw === 'string' ? decodePolicy(raw) : raw;
  if (!isObject(doc)) return undefined;
  const services = new Set<string>();
  const others = new Set<string>();
  for (const statement of asList(doc['Statement'])) {
    if (!isObject(statement) || statement['Effect'] !== 'Allow') continue;
    collect(statement['Principal'], services, others);
  }
  return { services: [...services].sort(), others: [...others].sort() };
}

function collect(principal: unknown, services: Set<string>, others: Set<string>): void {
  // "Principal": "*" trusts everyone: kept as such so that a judge can flag it.
  if (principal === '*') others.add('*');
  if (!isObject(principal)) return;
  for (const [kind, value] of Object.entries(principal as JsonObject)) {
    for (const p of asList(value)) {
      if (typeof p !== 'string') continue;
      (kind === 'Service' ? services : others).add(p);
    }
  }
}

function decodePolicy(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed));
  } catch {
    return undefined;
  }
}

function asList(v: unknown): unknown[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}
