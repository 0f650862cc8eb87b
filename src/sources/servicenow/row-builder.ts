import type { FileContext } from './context.js';
import type { FieldNames } from './fields.js';
import type { CmdbMapping } from './mapping.js';
import type { Cell, Row } from './row.js';

/**
 * Builds rows from a reader's (column, cell) pairs: canonical field names, the mapping's
 * value translations, and the first non-empty cell when two columns name the same field.
 */
export class RowBuilder {
  readonly #names: FieldNames;
  readonly #mapping: CmdbMapping | undefined;

  constructor(names: FieldNames, mapping: CmdbMapping | undefined) {
    this.#names = names;
    this.#mapping = mapping;
  }

  /** Resolves a header once, so unknown columns are reported even for a file with no rows. */
  header(columns: readonly string[], line: number, ctx: FileContext): void {
    const seen = new Map<string, string>();
    for (const column of columns) {
      const field = this.#names.resolve(column, line);
      const first = seen.get(field);
      if (first === undefined) seen.set(field, column);
      else {
        const message = `'${first}' and '${column}' both hold '${field}'; first non-empty wins`;
        ctx.warn('DUPLICATE_COLUMN', message, line, column);
      }
    }
  }

  build(line: number, entries: Iterable<readonly [string, Cell]>): Row {
    const cells = new Map<string, Cell>();
    const columns = new Map<string, string>();
    for (const [column, cell] of entries) {
      const field = this.#names.resolve(column, line);
      const existing = cells.get(field);
      if (existing && (existing.value.trim() !== '' || existing.display)) continue;
      cells.set(field, this.#translate(field, cell));
      columns.set(field, column);
    }
    return { line, cells, columns };
  }

  #translate(field: string, cell: Cell): Cell {
    const mapped = this.#mapping?.value(field, cell.display ?? cell.value);
    return mapped === undefined ? cell : { value: mapped, utc: cell.utc };
  }
}
