import { X509Certificate } from 'node:crypto';
import type { AttrValue, Observation, Relation } from '../../model/types.js';
import { compact } from '../common.js';
import { findSecret } from '../streaming/secret-scan.js';
import { asObject, asString, readTime, type Json } from '../streaming/values.js';

/** A credential read from an object, or why it was refused. */
export type CredentialRead =
  | { readonly ok: true; readonly observation: Observation }
  | { readonly ok: false; readonly field: string; readonly code: string; readonly message: string };

/** Where a credential hangs: the object that lists it and the identity it authenticates. */
export interface CredentialParent {
  readonly scope: string;
  readonly line: number;
  readonly belongsTo: Relation;
}

/**
 * Fields that carry the secret itself. Graph: `secretText` (passwordCredential, returned only
 * by addPassword) and `key` (keyCredential) unless it is a public certificate (see
 * publicCertificate); legacy AAD Graph: `value`. Roster refuses any of them when non-null
 * instead of dropping them quietly (DESIGN.md rule 5).
 */
const SECRET_FIELDS = ['secretText', 'key', 'value'] as const;

/**
 * Reads one `passwordCredentials[i]` or `keyCredentials[i]` entry (Graph v1.0 or AAD Graph
 * 1.6: `startDate`/`endDate`) into a credential keyed by `key-id` `entra:<keyId>`.
 */
export function readCredential(
  raw: unknown,
  field: string,
  parent: CredentialParent,
): CredentialRead {
  const entry = asObject(raw);
  if (!entry) return refuse(field, 'BAD_CREDENTIAL', 'credential entry is not an object');
  const cert = publicCertificate(entry, field);
  // A public certificate is no secret, but its bytes are not kept either: its thumbprint is.
  const c = cert ? withoutKey(entry) : entry;
  for (const name of SECRET_FIELDS) {
    if (c[name] !== null && c[name] !== undefined && c[name] !== '') {
      return refuse(`${field}.${name}`, 'SECRET_REFUSED', 'secret value refused, not stored');
    }
  }
  const hit = findSecret(c, field);
  if (hit) return refuse(hit.field, 'SECRET_REFUSED', 'secret value refused, not stored');
  const keyId = asString(c.keyId);
  if (!keyId) return refuse(`${field}.keyId`, 'MISSING_KEY', 'credential without keyId');
  const start = readTime(c.startDateTime ?? c.startDate);
  const end = readTime(c.endDateTime ?? c.endDate);
  if (start.error) return refuse(`${field}.startDateTime`, 'BAD_TIME', start.error);
  if (end.error) return refuse(`${field}.endDateTime`, 'BAD_TIME', end.error);
  const observation: Observation = {
    kind: 'credential',
    sourceId: `credential:${keyId}`,
    scope: parent.scope,
    keys: [{ type: 'key-id', value: `entra:${keyId}` }],
    attributes: credentialAttributes(c, field, start.value, end.value, cert),
    relations: [parent.belongsTo],
    line: parent.line,
  };
  return { ok: true, observation };
}

function credentialAttributes(
  c: Json,
  field: string,
  createdAt: string | undefined,
  expiresAt: string | undefined,
  cert: X509Certificate | undefined,
): Record<string, AttrValue> {
  const isKey = field.startsWith('keyCredentials');
  const type = asString(c.type);
  const hint = asString(c.hint);
  return compact({
    credentialType: isKey ? keyCredentialType(type) : 'client-secret',
    name: asString(c.displayName) ?? hint,
    'entra.hint': hint,
    'entra.keyType': type,
    'entra.keyUsage': asString(c.usage),
    createdAt,
    expiresAt,
    // Whether it has expired is judged against the clock elsewhere; Entra lists only live ones.
    active: true,
    fingerprint: isKey ? thumbprint(c.customKeyIdentifier) ?? certThumbprint(cert) : undefined,
    'entra.customKeyIdentifier': isKey ? undefined : asString(c.customKeyIdentifier),
  });
}

/**
 * The certificate a keyCredential's `key` holds (Graph: base64 of the DER bytes) when it is
 * one: an AsymmetricX509Cert's key is the public certificate. A Symmetric key, or bytes that
 * are no certificate, are not; they stay refused as secrets.
 */
function publicCertificate(c: Json, field: string): X509Certificate | undefined {
  const key = asString(c.key);
  if (!field.startsWith('keyCredentials') || asString(c.type) === 'Symmetric' || !key) {
    return undefined;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return undefined;
  try {
    return new X509Certificate(Buffer.from(key, 'base64'));
  } catch {
    return undefined;
  }
}

function withoutKey(c: Json): Json {
  const { key: _key, ...rest } = c;
  return rest;
}

/** The SHA-1 thumbprint Entra shows for a certificate, in thumbprint()'s form. */
function certThumbprint(cert: X509Certificate | undefined): string | undefined {
  return cert ? `sha1:${cert.fingerprint.replace(/:/g, '').toLowerCase()}` : undefined;
}

/** Graph keyCredential types: AsymmetricX509Cert, X509CertAndPassword, Symmetric. */
function keyCredentialType(type: string | undefined): string {
  return type === 'Symmetric' ? 'client-secret' : 'x509-certificate';
}

/**
 * A certificate's customKeyIdentifier is its SHA-1 thumbprint: hex in AAD Graph and in
 * `az ad app credential list`, base64 of the 20 bytes in Graph v1.0 (Edm.Binary). Anything
 * else is a free label, not a fingerprint.
 */
export function thumbprint(raw: unknown): string | undefined {
  const v = asString(raw);
  if (!v) return undefined;
  if (/^[0-9a-f]{40}$/i.test(v)) return `sha1:${v.toLowerCase()}`;
  if (/^[A-Za-z0-9+/]{27}=$/.test(v)) {
    const bytes = Buffer.from(v, 'base64');
    if (bytes.length === 20) return `sha1:${bytes.toString('hex')}`;
  }
  return undefined;
}

function refuse(field: string, code: string, message: string): CredentialRead {
  return { ok: false, field, code, message };
}
