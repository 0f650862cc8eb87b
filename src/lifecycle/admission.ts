import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { checkText, type FieldProblem } from '../model/field-guard.js';
import type { InventoryRecord } from '../model/record.js';
import { safeName } from '../model/secret-shapes.js';
import type { Rejection } from '../model/types.js';
import { isLeaving } from './stages.js';

/**
 * Whether a record waits for admission (issue #5, point 2): an asset or identity some source
 * sees, that no system of record has admitted, and that is not already on its way out.
 * Until admitted it stays untrusted (NIST SP 800-207, tenet 5).
 */
export function awaitsAdmission(r: InventoryRecord): boolean {
  if (r.kind !== 'asset' && r.kind !== 'identity') return false;
  if (r.admission !== 'unknown' || isLeaving(r.lifecycle, r.admission)) return false;
  return r.sightings.some((s) => s.status === 'present');
}

/** One line of a bulk admission file. */
export interface AdmissionRow {
  readonly line: number;
  readonly key: string;
  readonly owner: string;
  readonly purpose: string;
  readonly reason?: string;
}

const FIELDS = ['key', 'owner', 'purpose'] as const;

/**
 * Reads a bulk admission file: CSV with a header `key,owner,purpose[,reason]`, or a YAML/JSON
 * list of `{key, owner, purpose, reason?}`. Every bad row is reported with its line and field;
 * good rows are kept (DESIGN.md rule 4).
 *
 * @example readAdmissionFile('admit.csv', 'key,owner,purpose\ni-0abc,alice,web front end\n')
 */
export function readAdmissionFile(
  file: string,
  text: string,
): { rows: AdmissionRow[]; rejections: Rejection[] } {
  const isCsv = /\.csv$/i.test(file) || (!/\.(ya?ml|json)$/i.test(file) && text.includes(','));
  const raw = isCsv ? csvRows(file, text) : listRows(file, text);
  if ('rejection' in raw) return { rows: [], rejections: [raw.rejection] };
  const rows: AdmissionRow[] = [];
  const rejections: Rejection[] = [];
  for (const { line, cells } of raw.rows) {
    // A secret in any cell refuses the row whole, by the rule ingest refuses a row by: it is
    // reported by line and field, and nothing of it is kept, not its owner (DESIGN.md rule 5).
    const secret = secretCell(cells);
    if (secret) {
      rejections.push({ file, line, field: secret.field, code: secret.code,
        message: secret.message });
      continue;
    }
    const missing = FIELDS.find((f) => typeof cells[f] !== 'string' || cells[f]!.trim() === '');
    if (missing) {
      rejections.push({ file, line, field: missing, code: 'MISSING_VALUE',
        message: `no ${missing}: admission needs a key, an owner and a purpose` });
      continue;
    }
    const reason = cells['reason']?.trim();
    rows.push({ line, key: cells['key']!.trim(), owner: cells['owner']!.trim(),
      purpose: cells['purpose']!.trim(), ...(reason ? { reason } : {}) });
  }
  return { rows, rejections };
}

type Cells = Record<string, string | undefined>;

function secretCell(cells: Cells): FieldProblem | undefined {
  for (const [name, value] of Object.entries(cells)) {
    const p = checkText(safeName(name), value ?? '');
    if (p) return p;
  }
  return undefined;
}
type Raw = { rows: { line: number; cells: Cells }[] } | { rejection: Rejection };

function csvRows(file: string, text: string): Raw {
  try {
    const records = parseCsv(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      bom: true,
      info: true,
    }) as { record: Cells; info: { lines: number } }[];
    return { rows: records.map((r) => ({ line: r.info.lines, cells: r.record })) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { rejection: { file, code: 'BAD_CSV', message } };
  }
}

function listRows(file: string, text: string): Raw {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { rejection: { file, code: 'BAD_YAML', message } };
  }
  if (!Array.isArray(doc)) {
    const message = 'expected a list of {key, owner, purpose}';
    return { rejection: { file, code: 'BAD_INPUT', message } };
  }
  return {
    rows: doc.map((item: unknown, i) => ({
      line: i + 1,
      cells: Object.fromEntries(
        Object.entries(typeof item === 'object' && item !== null ? item : {})
          .map(([k, v]) => [k.toLowerCase(), cellText(v)]),
      ) as Cells,
    })),
  };
}

function cellText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return v === null || v === undefined ? undefined : String(v);
}
