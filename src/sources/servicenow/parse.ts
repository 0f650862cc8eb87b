import { RosterError } from '../../model/errors.js';
import { isSecretField } from '../../model/secrets.js';
import { headText, storable } from '../common.js';
import { byItem } from '../streaming/events.js';
import type { ParseEvent, ParseOptions, SourceInput } from '../format.js';
import { ciDraft, type Outcome } from './ci.js';
import { classNameOf } from './classes.js';
import { FileContext } from './context.js';
import { readCsv } from './csv.js';
import { withScope, type Draft } from './draft.js';
import { FieldNames } from './fields.js';
import { readJson } from './json.js';
import { readMapping } from './mapping.js';
import { OwnerBook, OwnerClaims } from './owners.js';
import { columnOf, valueOf, type ReaderEvent, type Row } from './row.js';
import { RowBuilder } from './row-builder.js';
import { ScopeResolver } from './scope.js';
import { isKnownZone } from '../../model/time.js';
import { isUserRow, userDraft } from './user.js';

/**
 * Reads a ServiceNow CMDB or sys_user export into observations. They wait until the scope is
 * known (see scope.ts), then stream; the owners CIs name follow at the end, one each.
 *
 * The run is complete only when every record was read: a refused record still exists in the
 * CMDB, and a complete run would mark it missing (DESIGN.md rule 3).
 */
export function parseServicenow(
  input: SourceInput,
  options: ParseOptions,
): AsyncIterable<ParseEvent> {
  // A JSON export's records are numbered, not placed on lines (see byItem).
  return isJson(input) ? byItem(parseEvents(input, options)) : parseEvents(input, options);
}

async function* parseEvents(input: SourceInput, options: ParseOptions): AsyncGenerator<ParseEvent> {
  const mapping = readMapping(options.mapping);
  if (options.timezone && !isKnownZone(options.timezone)) {
    throw new RosterError('CONFIG', `unknown time zone '${options.timezone}'`);
  }
  const ctx = new FileContext(input.path, options.timezone);
  const rows = new RowBuilder(new FieldNames(ctx, mapping), mapping);
  const scope = new ScopeResolver(options.scope, input.path);
  const owners = new OwnerBook();
  const pending: Draft[] = [];
  let complete = true;
  for await (const ev of readerFor(input, rows, ctx)) {
    const outcome = ev.type === 'row' ? interpret(ev.row, ctx, owners, scope, options) : ev;
    if ('draft' in outcome) pending.push(outcome.draft);
    else {
      complete = false;
      if ('rejection' in outcome) yield { type: 'reject', rejection: outcome.rejection };
    }
    yield* warnings(ctx);
    if (scope.decided) yield* observations(pending.splice(0), scope.scope);
  }
  yield* observations([...pending, ...owners.drafts()], scope.scope);
  yield* warnings(ctx);
  yield { type: 'meta', meta: { scopes: [scope.scope], complete } };
}

function readerFor(
  input: SourceInput,
  rows: RowBuilder,
  ctx: FileContext,
): AsyncGenerator<ReaderEvent> {
  return isJson(input) ? readJson(input, rows, ctx) : readCsv(input, rows, ctx);
}

function isJson(input: SourceInput): boolean {
  const head = headText(input.head);
  return head.startsWith('{') || head.startsWith('[');
}

function interpret(
  row: Row,
  ctx: FileContext,
  owners: OwnerBook,
  scope: ScopeResolver,
  options: ParseOptions,
): Outcome {
  const rawClass = valueOf(row, 'sys_class_name');
  const className = rawClass ? classNameOf(rawClass) : undefined;
  const user = isUserRow(row, className);
  scope.observe(row, className ?? (user ? 'sys_user' : undefined));
  const secret = secretField(row);
  if (secret) {
    // DESIGN.md rule 5: the field is named, its value never stored nor repeated.
    const message = `'${secret}' holds a secret value; the record is refused, the value not kept`;
    return { rejection: ctx.reject('SECRET_REFUSED', message, row.line, secret) };
  }
  if (user) return userDraft(row, ctx);
  // A row the field guard will refuse when ingested (a secret in a value, a value too long)
  // is refused whole: the owners it names are part of it and are not kept either, so a file
  // whose every row is refused stores nothing.
  const claims = new OwnerClaims();
  const outcome = ciDraft(row, ctx, claims);
  if ('draft' in outcome && storable(withScope(outcome.draft, scope.scope), options)) {
    claims.into(owners);
  }
  return outcome;
}

/** The column of the first field whose name or value says it holds a secret. */
function secretField(row: Row): string | undefined {
  for (const [field, cell] of row.cells) {
    const column = columnOf(row, field);
    for (const text of [cell.value, cell.display]) {
      if (text && (isSecretField(column, text) || isSecretField(field, text))) return column;
    }
  }
  return undefined;
}

function* warnings(ctx: FileContext): Generator<ParseEvent> {
  for (const warning of ctx.drainWarnings()) yield { type: 'warning', warning };
}

function* observations(drafts: readonly Draft[], scope: string): Generator<ParseEvent> {
  for (const d of drafts) yield { type: 'observation', observation: withScope(d, scope) };
}
