import { asArray, asObject, asString, type Json } from '../streaming/values.js';

/** Columns of system_info (and the usual decorations) that Roster keeps per host. */
export const HOST_COLUMNS = [
  'hardware_serial',
  'uuid',
  'hostname',
  'computer_name',
  'local_hostname',
  'cpu_brand',
  'cpu_type',
  'hardware_vendor',
  'hardware_model',
  'hardware_version',
  'physical_memory',
] as const;

/** Columns that only an inventory query (system_info and the like) returns. */
const INVENTORY_MARKERS = ['hardware_serial', 'cpu_brand', 'hardware_model', 'computer_name'];

/** One result log entry, in any of osquery's three layouts. */
export interface OsqueryResult {
  readonly host: string | undefined;
  readonly query: string | undefined;
  /** Epoch milliseconds, from unixTime or else calendarTime. */
  readonly time: number | undefined;
  /** The field `time` was read from. */
  readonly timeField: 'unixTime' | 'calendarTime';
  /** Rows that say what is there now: `snapshot`, `added`, `diffResults.added`. */
  readonly rows: readonly Json[];
  readonly removedRows: number;
  readonly decorations: Json;
}

/**
 * Reads one result (osquery docs, "Logging osquery": differential event format with
 * `action` and `columns`, batch format with `diffResults`, snapshot format with `snapshot`).
 * The host is `hostIdentifier`; the documentation's examples write `hostname`.
 */
export function readResult(o: Json): OsqueryResult {
  const decorations = asObject(o.decorations) ?? {};
  const host = asString(o.hostIdentifier) ?? asString(o.hostname) ??
    asString(decorations.hostname) ?? asString(decorations.host_uuid);
  const diff = asObject(o.diffResults);
  const action = asString(o.action);
  let rows: Json[] = [];
  let removedRows = 0;
  if (action === 'snapshot') rows = objects(o.snapshot);
  else if (action === 'added') rows = objects([o.columns]);
  else if (action === 'removed') removedRows = 1;
  else if (diff) {
    rows = objects(diff.added);
    removedRows = asArray(diff.removed).length;
  }
  const time = unixTimeOf(o);
  const timed = time === undefined
    ? { time: calendarTimeOf(o), timeField: 'calendarTime' as const }
    : { time, timeField: 'unixTime' as const };
  return { host, query: asString(o.name), ...timed, rows, removedRows, decorations };
}

function objects(v: unknown): Json[] {
  return asArray(v).map(asObject).filter((x): x is Json => x !== undefined);
}

/** True when a row comes from an inventory query such as `SELECT * FROM system_info`. */
export function isInventoryRow(row: Json): boolean {
  if (INVENTORY_MARKERS.some((c) => c in row)) return true;
  return 'uuid' in row && 'hostname' in row;
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** `unixTime`: seconds, a number or a digit string. */
function unixTimeOf(o: Json): number | undefined {
  const unix = Number(o.unixTime);
  if (o.unixTime === undefined || o.unixTime === '') return undefined;
  return Number.isFinite(unix) && unix > 0 ? unix * 1000 : undefined;
}

/** `calendarTime`, which osquery writes in UTC, asctime layout: `Mon May  2 22:27:32 2016 UTC`. */
function calendarTimeOf(o: Json): number | undefined {
  const cal = asString(o.calendarTime);
  const m = cal ? /^\w{3} (\w{3}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})( UTC)?$/.exec(cal) : null;
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!) / 3;
  if (month < 0 || !Number.isInteger(month)) return undefined;
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}
