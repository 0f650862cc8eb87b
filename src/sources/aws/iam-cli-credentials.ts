import { X509Certificate } from 'node:crypto';
import { normalizeKey } from '../../model/keys.js';
import type { AttrValue, Key, Observation } from '../../model/types.js';
import { compact } from '../common.js';
import {
  accountIn,
  belongsTo,
  statusFlag,
  text,
  timeField,
  userScope,
  type ShapeReader,
} from './iam-cli-context.js';
import { isObject, type JsonObject } from './json-document.js';
import type { RecordIssues } from './record-issues.js';

/** How one per-user credential listing reads its entries. */
export interface CredentialShape {
  /** Scope suffix and word for messages, e.g. `access-keys`. */
  readonly what: string;
  readonly idField: string;
  readonly keyType: Key['type'];
  readonly credentialType: string;
  readonly timeField: 'CreateDate' | 'UploadDate';
  readonly label: string;
  /** Attributes beyond the common ones. */
  readonly extra?: (o: JsonObject, issues: RecordIssues) => Record<string, AttrValue | undefined>;
}

const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;

export const ACCESS_KEYS: CredentialShape = {
  what: 'access-keys',
  idField: 'AccessKeyId',
  keyType: 'aws-access-key-id',
  credentialType: 'access-key',
  timeField: 'CreateDate',
  label: 'access key',
};

export const SIGNING_CERTIFICATES: CredentialShape = {
  what: 'signing-certificates',
  idField: 'CertificateId',
  keyType: 'key-id',
  credentialType: 'signing-certificate',
  timeField: 'UploadDate',
  label: 'signing certificate',
  extra: certificateFacts,
};

export const SSH_PUBLIC_KEYS: CredentialShape = {
  what: 'ssh-public-keys',
  idField: 'SSHPublicKeyId',
  keyType: 'key-id',
  credentialType: 'ssh-key',
  timeField: 'UploadDate',
  label: 'SSH public key',
  extra: (o) => ({ fingerprint: text(o['Fingerprint']) }),
};

export const SERVICE_CREDENTIALS: CredentialShape = {
  what: 'service-specific-credentials',
  idField: 'ServiceSpecificCredentialId',
  keyType: 'key-id',
  credentialType: 'service-specific-credential',
  timeField: 'CreateDate',
  label: 'service credential',
  extra: (o) => ({
    'aws.serviceName': text(o['ServiceName']),
    'aws.serviceUserName': text(o['ServiceUserName']),
  }),
};

/**
 * The entries of one user's credential listing. The listing is complete for that user only:
 * its scope names the user, so a later listing of the same user that lacks a credential marks
 * it missing, and nothing of any other user. Without an account (these outputs carry no ARN
 * unless `--scope` gives one) the same user name may exist in several accounts, so the run is
 * partial and marks nothing missing.
 */
export function readCredentials(
  reader: ShapeReader,
  list: readonly unknown[],
  shape: CredentialShape,
): { complete: boolean } {
  let accountKnown = true;
  for (const raw of list) {
    const issues = reader.next();
    const obs = convertCredential(reader, raw, shape, issues);
    reader.keep(issues, obs);
    if (obs && 'kind' in obs && obs.scope.startsWith('aws:unknown-account:')) accountKnown = false;
  }
  if (!accountKnown) {
    const message = `no account in this ${shape.what} listing: pass --scope aws:<account id> ` +
      'so that a later listing can mark removed credentials missing; the run is partial';
    reader.warnings.push({ file: reader.file, message, code: 'NO_ACCOUNT' });
  }
  return { complete: accountKnown };
}

function convertCredential(
  reader: ShapeReader,
  raw: unknown,
  shape: CredentialShape,
  issues: RecordIssues,
) {
  if (!isObject(raw)) return issues.reject('BAD_INPUT', undefined, 'the entry is not an object');
  const user = text(raw['UserName']);
  if (!user) return issues.reject('BAD_INPUT', 'UserName', 'the user name is empty');
  const id = text(raw[shape.idField]);
  const key = id && normalizeKey(shape.keyType, id);
  if (!id || !key) return issues.reject('BAD_INPUT', shape.idField, `no ${shape.label} id`);
  if (shape.keyType === 'aws-access-key-id' && !ACCESS_KEY_ID.test(id)) {
    return issues.reject('BAD_INPUT', shape.idField, `'${id}' is not an access key id`);
  }
  const created = timeField(raw, shape.timeField);
  if (!created.ok) return issues.reject('BAD_INPUT', shape.timeField, created.error);
  const account = accountIn(raw['ServiceUserName']) ?? reader.givenAccount;
  const extra = shape.extra?.(raw, issues) ?? {};
  const extraKeys = typeof extra['fingerprint'] === 'string' && shape.label.includes('cert')
    ? [normalizeKey('x509-sha256', extra['fingerprint'])].filter((k): k is Key => !!k)
    : [];
  const obs: Observation = {
    kind: 'credential',
    sourceId: id,
    scope: userScope(account, user, shape.what),
    keys: [key, ...extraKeys],
    attributes: compact({
      name: `${user} ${shape.label} ${id}`,
      credentialType: shape.credentialType,
      active: statusFlag(raw, issues),
      createdAt: created.value,
      'aws.userName': user,
      ...extra,
    }),
    relations: belongsTo(user),
    line: reader.line,
  };
  return obs;
}

/** Fingerprint and validity of a signing certificate's PEM body (public data), when readable. */
function certificateFacts(
  o: JsonObject,
  issues: RecordIssues,
): Record<string, AttrValue | undefined> {
  const body = text(o['CertificateBody']);
  if (!body) return {};
  try {
    const cert = new X509Certificate(body);
    return {
      fingerprint: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
      notBefore: new Date(cert.validFrom).toISOString(),
      expiresAt: new Date(cert.validTo).toISOString(),
    };
  } catch {
    issues.warn('INVALID_VALUE', 'CertificateBody', 'not a readable PEM certificate');
    return {};
  }
}

/**
 * `list-server-certificates`: the account's TLS certificates for ELB and CloudFront, by ARN.
 * They belong to no user; the listing is complete for the account.
 */
export function readServerCertificates(reader: ShapeReader, list: readonly unknown[]): void {
  for (const raw of list) {
    const issues = reader.next();
    reader.keep(issues, serverCertificate(reader, raw, issues));
  }
}

function serverCertificate(reader: ShapeReader, raw: unknown, issues: RecordIssues) {
  if (!isObject(raw)) return issues.reject('BAD_INPUT', undefined, 'the entry is not an object');
  const arn = text(raw['Arn']);
  const account = accountIn(arn);
  if (!arn || !account) return issues.reject('BAD_INPUT', 'Arn', 'no IAM ARN with an account id');
  const name = text(raw['ServerCertificateName']);
  if (!name) return issues.reject('BAD_INPUT', 'ServerCertificateName', 'the name is empty');
  const uploaded = timeField(raw, 'UploadDate');
  if (!uploaded.ok) return issues.reject('BAD_INPUT', 'UploadDate', uploaded.error);
  const expires = timeField(raw, 'Expiration');
  if (!expires.ok) return issues.reject('BAD_INPUT', 'Expiration', expires.error);
  const keys = [normalizeKey('aws-arn', arn), normalizeKey('key-id', raw['ServerCertificateId'])];
  const obs: Observation = {
    kind: 'credential',
    sourceId: arn,
    scope: `aws:${account}:server-certificates`,
    keys: keys.filter((k): k is Key => k !== undefined),
    attributes: compact({
      name,
      credentialType: 'x509-certificate',
      createdAt: uploaded.value,
      expiresAt: expires.value,
      path: text(raw['Path']),
      account,
    }),
    line: reader.line,
  };
  return obs;
}
