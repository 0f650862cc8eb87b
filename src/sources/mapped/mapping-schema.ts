import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { RosterError } from '../../model/errors.js';
import {
  ADMISSIONS,
  CRITICALITIES,
  ENTITY_KINDS,
  KEY_TYPES,
  LIFECYCLE_STAGES,
  type RelationType,
} from '../../model/types.js';

const RELATION_TYPES = [
  'runs-on', 'belongs-to', 'owned-by', 'hosted-on', 'issued-by', 'names', 'instance-of',
] as const satisfies readonly RelationType[];

/** A column name (CSV) or a dotted path into a record (JSON: `status_label.name`). */
const column = z.string().min(1, 'must name a column');

const keySpec = z.strictObject({
  column,
  type: z.enum(KEY_TYPES),
  /** Text put before the value, e.g. `glpi:` for an `external-id`. */
  prefix: z.string().optional(),
});

const attributeSpec = z.union([
  column,
  z.strictObject({
    column,
    type: z.enum(['string', 'number', 'boolean', 'time', 'list']).default('string'),
    /** Separator of a `list` cell (default `,`). */
    separator: z.string().min(1).optional(),
  }),
]);

/** Which source values mean which Roster value, compared case-insensitively. */
const valueMap = <T extends readonly [string, ...string[]]>(values: T) =>
  z.strictObject({
    column,
    values: z.partialRecord(z.enum(values), z.array(z.string()).min(1)),
  });

const relationSpec = z.strictObject({
  type: z.enum(RELATION_TYPES),
  column,
  keyType: z.enum(KEY_TYPES),
  prefix: z.string().optional(),
  reverse: z.boolean().optional(),
});

/**
 * A mapping file: how one CSV or JSON export becomes observations. See
 * docs/sources/mapped.md and examples/mappings/.
 */
export const mappingSchema = z.strictObject({
  format: z.enum(['csv', 'json']).optional(),
  source: z.string().min(1).default('mapped'),
  systemOfRecord: z.boolean().default(true),
  kind: z.enum(ENTITY_KINDS as readonly ['asset', 'identity', 'credential', 'owner']),
  scope: z.string().min(1).optional(),
  /** Column holding the source's own id of each record. */
  id: column,
  keys: z.array(keySpec).min(1, 'needs at least one key'),
  attributes: z.record(z.string().min(1), attributeSpec).default({}),
  /** Attributes every record gets (`class`, `identityType`, `platform`). */
  constants: z
    .record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]))
    .default({}),
  admission: valueMap(ADMISSIONS as readonly ['approved', 'unknown', 'retired']).optional(),
  lifecycle: valueMap(LIFECYCLE_STAGES as readonly ['planned', ...string[]]).optional(),
  criticality: valueMap(CRITICALITIES as readonly ['critical', ...string[]]).optional(),
  owner: z
    .strictObject({
      column,
      emailColumn: column.optional(),
      ownerType: z.enum(['person', 'team']).optional(),
    })
    .optional(),
  relations: z.array(relationSpec).default([]),
  /** IANA zone of times written without an offset (GLPI writes server-local times). */
  timezone: z.string().min(1).optional(),
  /** JSON: where the records are, e.g. `rows` (Snipe-IT) or `data.items`; '' for a top array. */
  recordsPath: z.string().optional(),
  csv: z.strictObject({ delimiter: z.string().length(1).optional() }).optional(),
  /** What to do with columns the mapping does not name: keep as `<source>.<column>` (default). */
  unmapped: z.enum(['keep', 'warn', 'ignore']).default('keep'),
  /** Whether an export lists every record of its scope (default true). */
  complete: z.boolean().default(true),
});

export type Mapping = z.infer<typeof mappingSchema>;
export type AttributeSpec = z.infer<typeof attributeSpec>;

/**
 * Validates a parsed mapping, or throws a CONFIG error naming every bad field of the file
 * (`keys[0].type: Invalid option ...`).
 *
 * @example parseMapping(yaml.parse(text), 'glpi-computers.yaml')
 */
export function parseMapping(raw: unknown, file = 'mapping'): Mapping {
  const result = mappingSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`);
  throw new RosterError('CONFIG', `${file}: invalid mapping: ${problems.join('; ')}`, {
    file,
    problems,
  });
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Reads a mapping file (YAML, or JSON which YAML reads too) and validates it. */
export function loadMapping(path: string): Mapping {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : 'unreadable';
    throw new RosterError('CONFIG', `${path}: cannot read mapping: ${why}`, { file: path });
  }
  return parseMapping(raw, path);
}
