import { secretKindIn } from '../model/secret-shapes.js';
import {
  containsPrivateKey, isSecretField, looksLikeSecretValue, namedLikeSecret,
} from '../model/secrets.js';

/**
 * What a request may not carry into the decision log (DESIGN.md rule 5). Stricter than
 * ingest's field guard, which must not refuse ordinary inventory values: here a false alarm
 * only costs a logged value its text, so any credential-like text goes.
 */

/** Roster's own API token anywhere in a text (src/server/auth/token-secret.ts). */
const ROSTER_TOKEN = /rst_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/;
/** An HTTP credential with its scheme, however short: `Basic dXNl...`, `Bearer x`. */
const HTTP_CREDENTIAL = /\b(basic|bearer|digest|negotiate|token)\s+[A-Za-z0-9._~+/=-]{4,}/i;
/** `curl -u user:pass`, `--user user:pass`. */
const USER_OPTION = /(^|\s)(-u|--user)\s*['"]?[^\s:'"]+:[^\s'"]+/;
/** `user:password@host` without a scheme, in any case. */
const USERINFO = /(^|[\s"'(=,;])[A-Za-z0-9._%+-]+:[^\s@/:'"]{3,}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*/;

/** A field name whose value is a credential, by its last word (camelCase or separated). */
const SECRET_NAME = new RegExp('(^|[^a-z])(password|passwd|pwd|passphrase|secret|token|' +
  'apikey|api[_-]key|credentials?|authorization|cookie|session|privatekey|private[_-]key)$', 'i');
const SECRET_NAME_CAMEL =
  /(Password|Passwd|Secret|Token|ApiKey|PrivateKey|SecretKey|Credentials?|Cookie)$/;

/**
 * True when a text is or holds a secret by the rules ingest refuses by (and Roster's own
 * tokens): what a name (a subject's id, a type, an action) may never be.
 */
export function namesSecret(text: string): boolean {
  return containsPrivateKey(text) || looksLikeSecretValue(text) ||
    secretKindIn(text) !== undefined || ROSTER_TOKEN.test(text);
}

/**
 * True when a logged text may hold a secret: namesSecret, and credentials with their scheme
 * however short, `-u user:pass`, `user:pass@host`. Too eager for names (`email:a@b.org`,
 * `token service`), fine for values whose text the log can do without.
 */
export function holdsSecret(text: string): boolean {
  return namesSecret(text) || HTTP_CREDENTIAL.test(text) || USER_OPTION.test(text) ||
    USERINFO.test(text);
}

/** True when a field named `name` holding `value` is a secret by its name or its value. */
export function secretField(name: string, value: unknown): boolean {
  if (isSecretField(name, value) || holdsSecret(name)) return true;
  if (value === null || value === undefined || value === '' || typeof value === 'boolean') {
    return false;
  }
  return SECRET_NAME.test(name) || SECRET_NAME_CAMEL.test(name);
}

/**
 * A header as a proxy forwards it, `{ key|name: 'authorization', value: '...' }` (Envoy's
 * shape): the value is a secret when the name is a secret's.
 */
export function namedPairSecret(o: Readonly<Record<string, unknown>>): boolean {
  const name = typeof o['key'] === 'string' ? o['key'] : o['name'];
  return typeof name === 'string' && 'value' in o && secretField(name, o['value']);
}

/**
 * True when a field's name alone may make it a secret (so secretField must see its value):
 * the name holds or is named like a secret. For any other name, secretField(name, value) is
 * true only for a text value that looks like a token, which holdsSecret(value) also finds.
 */
export function secretByName(name: string): boolean {
  return holdsSecret(name) || namedLikeSecret(name) || SECRET_NAME.test(name) ||
    SECRET_NAME_CAMEL.test(name);
}
