import type { SourceFormat, SourceInput } from './format.js';
import { mappedFormatFor, parseMapping, type Mapping } from './mapped/index.js';
import { detectFormat, formatByName } from './registry.js';

/** Where formats are found: the registry, or the catalog a server was built with. */
export interface FormatLookup {
  byName(name: string): SourceFormat;
  detect(input: Pick<SourceInput, 'path' | 'head'>): SourceFormat;
}

export const REGISTRY_LOOKUP: FormatLookup = { byName: formatByName, detect: detectFormat };

/**
 * The mapping of a mapped export, validated, or undefined when there is none. A mapping given
 * with no format or with a mapped format (`mapped-csv`, `mapped-json`) describes a mapped
 * export; given with another format (a CMDB column mapping) it is that format's to read, and
 * is left as it is. `file` names the mapping in errors.
 *
 * @example mappedExport(yaml.parse(text), undefined, 'glpi-computers.yaml') // a Mapping
 */
export function mappedExport(
  mapping: unknown,
  forced: string | undefined,
  file: string,
): Mapping | undefined {
  if (mapping === undefined) return undefined;
  if (forced && !forced.startsWith('mapped-')) return undefined;
  return parseMapping(mapping, file);
}

/**
 * The format of one file, for `roster ingest` and the API's uploads alike: forced, or mapped
 * (a mapped export takes its source name and system-of-record flag from its mapping, and its
 * format from the mapping's `format` or the file's first character when none is forced), or
 * detected from content.
 */
export function pickFormat(
  input: Pick<SourceInput, 'path' | 'head'>,
  forced: string | undefined,
  mapped: Mapping | undefined,
  formats: FormatLookup = REGISTRY_LOOKUP,
): SourceFormat {
  if (mapped) {
    const base = forced ? formats.byName(forced) : mappedFormatFor(mapped, input.head);
    return { ...base, source: mapped.source, systemOfRecord: mapped.systemOfRecord };
  }
  return forced ? formats.byName(forced) : formats.detect(input);
}
