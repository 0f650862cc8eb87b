import { z } from 'zod';
import { RosterError } from '../../model/errors.js';

/**
 * A mapping file lets another CMDB's export use the ServiceNow path: it names the ServiceNow
 * field each of its columns holds and, per field, what its values mean in ServiceNow's words.
 * See docs/sources/servicenow.md and examples/mappings/.
 *
 * @example
 * { "columns": { "Asset ID": "sys_id", "Hostname": "name", "State": "install_status" },
 *   "values": { "install_status": { "live": "Installed", "scrapped": "Retired" } } }
 */
const MappingSchema = z.strictObject({
  description: z.string().optional(),
  columns: z.record(z.string(), z.string().regex(/^[a-z][a-z0-9_.]*$/, 'a ServiceNow field name')),
  values: z.record(z.string(), z.record(z.string(), z.string())).optional(),
});

export type MappingFile = z.infer<typeof MappingSchema>;

/** A validated mapping, looked up by exact name first, then case- and space-insensitively. */
export class CmdbMapping {
  readonly #columns: Map<string, string>;
  readonly #values: Map<string, Map<string, string>>;

  constructor(file: MappingFile) {
    this.#columns = new Map(Object.entries(file.columns).map(([k, v]) => [fold(k), v]));
    this.#values = new Map(
      Object.entries(file.values ?? {}).map(([field, table]) => [
        field,
        new Map(Object.entries(table).map(([k, v]) => [fold(k), v])),
      ]),
    );
  }

  /** The ServiceNow field a column of the other CMDB holds, if the mapping names it. */
  column(name: string): string | undefined {
    return this.#columns.get(fold(name));
  }

  /** The ServiceNow value an other CMDB's value of a field stands for, if the mapping says. */
  value(field: string, raw: string): string | undefined {
    return this.#values.get(field)?.get(fold(raw));
  }
}

function fold(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Validates `options.mapping`. A bad mapping is the caller's configuration error, refused
 * before any row is read.
 */
export function readMapping(raw: unknown): CmdbMapping | undefined {
  if (raw === undefined || raw === null) return undefined;
  const parsed = MappingSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new RosterError('CONFIG', `servicenow-cmdb mapping is not valid: ${problems}`);
  }
  return new CmdbMapping(parsed.data);
}
