import type { ParseEvent, ParseOptions, SourceFormat, SourceInput } from '../format.js';
import { headText } from '../common.js';
import { byItem, reject, warning } from '../streaming/events.js';
import { readJsonDocuments } from '../streaming/json-documents.js';
import { isPlaceholder } from '../../model/keys.js';
import { asObject, asString, type Json } from '../streaming/values.js';
import { entraKind, readEntraObject } from './entra-objects.js';

const GRAPH_CONTEXT = new RegExp(
  '"@odata\\.context"\\s*:\\s*"https://graph\\.microsoft\\.com/[^"]*' +
    '#(servicePrincipals|applications)',
  'i',
);
const AAD_GRAPH = /"odata\.metadata"\s*:\s*"https:\/\/graph\.windows\.net\//;
const AAD_TYPE = /"objectType"\s*:\s*"(Application|ServicePrincipal)"/;
const ENTRA_FIELDS = new RegExp(
  '"(servicePrincipalType|appOwnerOrganizationId|passwordCredentials|keyCredentials|' +
    'signInAudience)"\\s*:',
);

/**
 * Confidence that a head is a Graph or AAD Graph application / service principal document.
 * The Graph list example in the docs has no `@odata.context`, so fields decide too.
 */
function detect(input: Pick<SourceInput, 'head'>): number {
  const head = headText(input.head);
  if (!head.startsWith('{') && !head.startsWith('[')) return 0;
  if (GRAPH_CONTEXT.test(head)) return 0.95;
  if (AAD_GRAPH.test(head) && AAD_TYPE.test(head)) return 0.9;
  if (/"appId"\s*:/.test(head) && ENTRA_FIELDS.test(head)) return 0.8;
  return 0;
}

/** The tenant id in a legacy AAD Graph `odata.metadata` URL (`graph.windows.net/<tenant>/`). */
function tenantOf(envelope: Json, o: Json): string | undefined {
  const url = asString(envelope['odata.metadata'] ?? o['odata.metadata']);
  const m = url ? /graph\.windows\.net\/([^/]+)\//.exec(url) : null;
  if (!m || isPlaceholder(m[1]!)) return undefined;
  return m[1]!.toLowerCase();
}

/**
 * Scope of one object. Graph v1.0 output does not name the tenant it was read from; an
 * object's `appOwnerOrganizationId` names the tenant that publishes the app, which for a
 * multi-tenant app is not this one, so the user's `--scope` comes before it.
 */
function scopeOf(envelope: Json, o: Json, options: ParseOptions): string {
  const tenant = tenantOf(envelope, o);
  if (tenant) return `entra:${tenant}`;
  if (options.scope) return options.scope;
  const owner = asString(o.appOwnerOrganizationId ?? o.appOwnerTenantId);
  return owner ? `entra:${owner.toLowerCase()}` : 'default';
}

/** The Graph list an object belongs to, named as the API names it. */
const LISTING = { application: 'applications', servicePrincipal: 'servicePrincipals' } as const;

async function* parse(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const scopes = new Set<string>();
  const ownersSeen = new Set<string>();
  let complete = true;
  for await (const item of readJsonDocuments(input, [['value']])) {
    if (item.kind === 'progress') yield { type: 'progress', bytes: item.bytes };
    else if (item.kind === 'error') {
      complete = false;
      yield reject(input.path, item.line, undefined, 'BAD_JSON', item.message);
    } else if (item.kind === 'end') {
      // A page with a next link, or a single object, does not list the whole tenant.
      if (!item.listed) complete = false;
      if (item.envelope['@odata.nextLink'] !== undefined) complete = false;
    } else {
      const { value, line, envelope } = item.record;
      const o = asObject(value);
      const kind = o && entraKind(o, asString(envelope['@odata.context']));
      if (!o || !kind) {
        const why = 'not an application or service principal; skipped';
        yield warning(input.path, line, undefined, 'UNKNOWN_OBJECT', why);
        continue;
      }
      // A complete list of applications says nothing of service principals: one scope each.
      const scope = `${scopeOf(envelope, o, options)}/${LISTING[kind]}`;
      scopes.add(scope);
      yield* readEntraObject(o, kind, { file: input.path, line, scope, ownersSeen });
    }
  }
  yield { type: 'meta', meta: { scopes: [...scopes], complete } };
}

/**
 * Microsoft Entra ID applications and service principals: Microsoft Graph v1.0 lists
 * (`GET /applications`, `GET /servicePrincipals`, `{"@odata.context", "value": [...]}`), single
 * objects, and legacy Azure AD Graph 1.6 objects.
 */
export const entraFormat: SourceFormat = {
  name: 'entra',
  source: 'entra',
  systemOfRecord: false,
  description: 'Microsoft Entra ID applications and service principals (Microsoft Graph JSON)',
  example: 'roster ingest service-principals.json --format entra --scope entra:<tenant-id>',
  detect,
  parse: (input, options) => byItem(parse(input, options)),
};
