import { basename } from 'node:path';
import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { headText } from '../common.js';
import { byItem, reject, warning } from '../streaming/events.js';
import { readJsonDocuments } from '../streaming/json-documents.js';
import { findSecret } from '../streaming/secret-scan.js';
import { asObject, asString, type Json } from '../streaming/values.js';
import { readRoleId, readRoleSettings, readSecretId } from './vault-approle.js';
import { readLease } from './vault-lease.js';
import { ListReader, type VaultListKind } from './vault-lists.js';
import { readTokenAuth, readTokenLookup } from './vault-token.js';
import { shapeOf, vaultTime, type VaultContext } from './vault-values.js';

const LIST_HEAD = /"data"\s*:\s*\{\s*"keys"\s*:\s*\[/;
const ENVELOPE = /"lease_duration"\s*:/;
const ENVELOPE_TOO = /"(wrap_info|lease_id)"\s*:/;
const TOKEN = /"accessor"\s*:\s*"/;
const TOKEN_TOO = /"(policies|expire_time|client_token|display_name)"\s*:/;
const SECRET_ID = /"secret_id_accessor"\s*:/;
const LEASE = /"issue_time"\s*:[\s\S]*"renewable"\s*:|"renewable"\s*:[\s\S]*"issue_time"\s*:/;

/** What a list file lists, from its name (`auth-token-accessors.json`); a LIST body never says. */
export function listKindOf(path: string): VaultListKind | 'token-roles' | undefined {
  const name = basename(path).toLowerCase();
  if (/secret[-_]?id/.test(name) && name.includes('accessor')) return 'secret-id-accessors';
  if (name.includes('lease')) return 'leases';
  if (/token[-_]?roles?\b|token[-_]role/.test(name)) return 'token-roles';
  if (name.includes('accessor')) return 'token-accessors';
  if (name.includes('role')) return 'approle-roles';
  return undefined;
}

function isVaultHead(head: string): boolean {
  return head.startsWith('{') || head.startsWith('[');
}

/** Confidence for the `vault` format: every response shape but the lists named by file. */
function detectResponses(input: Pick<SourceInput, 'path' | 'head'>): number {
  const head = headText(input.head);
  if (!isVaultHead(head)) return 0;
  if (LIST_HEAD.test(head)) {
    const kind = listKindOf(input.path);
    if (kind === 'token-roles') return 0.9;
    return kind ? 0 : 0.5;
  }
  if (SECRET_ID.test(head)) return 0.9;
  if (TOKEN.test(head) && TOKEN_TOO.test(head)) return 0.9;
  if (ENVELOPE.test(head) && ENVELOPE_TOO.test(head) && /"(data|auth)"\s*:/.test(head)) {
    return 0.85;
  }
  if (/"auth"\s*:\s*\{/.test(head) && /"client_token"\s*:/.test(head)) return 0.85;
  if (/"data"\s*:/.test(head) && LEASE.test(head) && /"expire_time"\s*:/.test(head)) return 0.85;
  return 0;
}

function detectList(kind: VaultListKind) {
  return (input: Pick<SourceInput, 'path' | 'head'>): number => {
    const head = headText(input.head);
    if (!isVaultHead(head) || !LIST_HEAD.test(head)) return 0;
    return listKindOf(input.path) === kind ? 0.9 : 0;
  };
}

/** Fields that hold the secret itself; each reader refuses and drops its own. */
function withoutKnownSecrets(doc: Json): Json {
  const data = asObject(doc.data);
  const auth = asObject(doc.auth);
  const wrap = asObject(doc.wrap_info);
  const strip = (o: Json | undefined, names: string[]): Json | undefined => {
    if (!o) return o;
    const copy: Record<string, unknown> = { ...o };
    for (const n of names) delete copy[n];
    return copy;
  };
  return { ...doc, data: strip(data, ['id', 'secret_id']), auth: strip(auth, ['client_token']),
    wrap_info: strip(wrap, ['token']) };
}

/** When the response was written: a token or lease read gives it as `expire_time - ttl`. */
function asOfOf(doc: Json): string | undefined {
  const d = asObject(doc.data);
  if (!d || typeof d.ttl !== 'number' || d.ttl <= 0) return undefined;
  const expires = vaultTime(d.expire_time).value;
  if (!expires) return undefined;
  return new Date(Date.parse(expires) - d.ttl * 1000).toISOString();
}

function* readResponse(doc: Json, ctx: VaultContext): Generator<ParseEvent> {
  const wrapped = asObject(doc.wrap_info);
  if (wrapped && asString(wrapped.token)) {
    yield reject(ctx.file, ctx.line, 'wrap_info.token', 'SECRET_REFUSED',
      'response-wrapping token refused and dropped; a wrapped response carries nothing else');
    return;
  }
  const hit = findSecret(withoutKnownSecrets(doc));
  if (hit) {
    yield reject(ctx.file, ctx.line, hit.field, 'SECRET_REFUSED',
      'secret value refused; the response is not kept');
    return;
  }
  const shape = shapeOf(doc);
  if (shape === 'token-lookup') yield* readTokenLookup(doc, ctx);
  else if (shape === 'token-auth') yield* readTokenAuth(doc, ctx);
  else if (shape === 'secret-id') yield* readSecretId(doc, ctx);
  else if (shape === 'role-id') yield* readRoleId(doc, ctx);
  else if (shape === 'approle-role') yield* readRoleSettings(doc, ctx);
  else if (shape === 'lease') yield* readLease(doc, ctx);
  else if (shape === 'list') yield* unnamedList(ctx);
  else {
    yield warning(ctx.file, ctx.line, undefined, 'UNKNOWN_RESPONSE',
      'not a token, AppRole, secret-id or lease response; skipped');
  }
}

function* unnamedList(ctx: VaultContext): Generator<ParseEvent> {
  const kind = listKindOf(ctx.file);
  const why = kind === 'token-roles'
    ? 'token roles are templates, neither identities nor credentials; not kept'
    : 'a LIST response does not say what it lists; pass --format vault-token-accessors, ' +
      'vault-secret-id-accessors, vault-leases or vault-approle-roles';
  yield warning(ctx.file, ctx.line, 'data.keys', 'UNNAMED_LIST', why);
}

type Reader = (value: unknown, ctx: VaultContext) => Generator<ParseEvent>;

/** Reads JSON documents (or an array of them), handing each record to `read`. */
async function* readDocuments(
  input: SourceInput,
  options: ParseOptions,
  arrays: readonly (readonly string[])[],
  read: Reader,
  complete: boolean,
): AsyncGenerator<ParseEvent> {
  const scope = options.scope ?? 'vault:default';
  const ctx = { file: input.path, scope, emitted: new Set<string>() };
  const dating = new ResponseTimes(input.path, options.latestAsOf);
  for await (const item of readJsonDocuments(input, arrays)) {
    if (item.kind === 'progress') yield { type: 'progress', bytes: item.bytes };
    else if (item.kind === 'error') {
      complete = false;
      yield reject(input.path, item.line, undefined, 'BAD_JSON', item.message);
    } else if (item.kind === 'record') {
      // Before its observations: the run takes the first as-of it is given.
      yield* dating.see(asObject(item.record.value), item.record.line);
      yield* read(item.record.value, { ...ctx, line: item.record.line });
    }
  }
  yield* dating.fallback();
  yield { type: 'meta', meta: { scopes: [scope], complete } };
}

/**
 * The run's as-of from the first response that says when Vault answered, passing over one
 * later than the clock allows (`ParseOptions.latestAsOf`): one response of a file, edited or
 * from a server whose clock is ahead, must not refuse every other one. Warned once.
 */
class ResponseTimes {
  readonly #file: string;
  readonly #latest: string | undefined;
  #asOf: string | undefined;
  #ahead = false;

  constructor(file: string, latestAsOf: string | undefined) {
    this.#file = file;
    this.#latest = latestAsOf;
  }

  *see(doc: Json | undefined, line: number): Generator<ParseEvent> {
    const at = doc && this.#asOf === undefined ? asOfOf(doc) : undefined;
    if (!at) return;
    if (this.#latest === undefined || Date.parse(at) <= Date.parse(this.#latest)) {
      this.#asOf = at;
      yield { type: 'meta', meta: { asOf: at } };
      return;
    }
    if (this.#ahead) return;
    this.#ahead = true;
    const why = `Vault answered at ${at} (expire_time minus ttl), later than the clock allows ` +
      `(${this.#latest}, the clock plus the skew): the response is read, but it does not date ` +
      'the run (warned once)';
    yield warning(this.#file, line, 'data.expire_time', 'FUTURE_TIME', why);
  }

  /** When responses were ahead and none other dated the run: says what dates it instead. */
  *fallback(): Generator<ParseEvent> {
    if (this.#asOf !== undefined || !this.#ahead) return;
    const why = 'no response says when Vault answered within the clock: the run takes ' +
      '--as-of, else the file\'s modification time, else the clock';
    yield warning(this.#file, undefined, 'data.expire_time', 'FUTURE_TIME', why);
  }
}

function* readResponseValue(value: unknown, ctx: VaultContext): Generator<ParseEvent> {
  const doc = asObject(value);
  if (!doc) {
    yield reject(ctx.file, ctx.line, undefined, 'BAD_RESPONSE',
      'not a JSON object (a Vault API response)');
    return;
  }
  yield* readResponse(doc, ctx);
}

/**
 * HashiCorp Vault and OpenBao API responses (`vault read -format=json`, `bao read`, or the
 * HTTP API): token lookups, token create/login auth blocks, AppRole secret-ids and role-ids,
 * lease reads. A few responses are read together as partial runs.
 */
export const vaultResponses: SourceFormat = {
  name: 'vault',
  source: 'vault',
  systemOfRecord: false,
  description: 'Vault / OpenBao token lookups, logins, AppRole secret-ids, lease reads (API JSON)',
  example: 'roster ingest examples/vault/estate/token-lookups.json --scope vault:prod-eu',
  detect: detectResponses,
  parse: (input, options) =>
    byItem(readDocuments(input, options, [], readResponseValue, false)),
};

/** Streams the keys of LIST responses; the record number of a key is its place in the file. */
async function* readList(
  input: SourceInput,
  options: ParseOptions,
  kind: VaultListKind,
  complete: boolean,
): AsyncGenerator<ParseEvent> {
  const reader = new ListReader(kind);
  let index = 0;
  yield* readDocuments(input, options, [['data', 'keys']],
    (value, ctx) => reader.entry(value, index++, ctx), complete);
  yield* reader.end(input.path);
}

function listFormat(kind: VaultListKind, complete: boolean, what: string, file: string) {
  const format: SourceFormat = {
    name: `vault-${kind}`,
    source: 'vault',
    systemOfRecord: false,
    description: `Vault / OpenBao LIST ${what} (data.keys)`,
    example:
      `roster ingest examples/vault/estate/${file} --format vault-${kind} --scope vault:prod-eu`,
    detect: detectList(kind),
    parse: (input, options) => byItem(readList(input, options, kind, complete)),
  };
  return format;
}

/** `auth/token/accessors`: every token of the cluster or namespace, a complete run. */
export const vaultTokenAccessors = listFormat('token-accessors', true,
  'auth/token/accessors', 'token-accessors.json');
/** `auth/approle/role/<role>/secret-id`: the role is not in the body, so a partial run. */
export const vaultSecretIdAccessors = listFormat('secret-id-accessors', false,
  'auth/approle/role/<role>/secret-id', 'approle-backup-secret-id-accessors.json');
/** `sys/leases/lookup/<prefix>`: the prefix is not in the body, so a partial run. */
export const vaultLeases = listFormat('leases', false,
  'sys/leases/lookup/<prefix>', 'leases-database-creds-app.json');
/** `auth/approle/role`: the roles of one AppRole mount, a complete run. */
export const vaultApproleRoles = listFormat('approle-roles', true,
  'auth/approle/role', 'approle-roles.json');
