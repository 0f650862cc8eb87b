import type { Key } from '../../model/types.js';
import type { ParseEvent } from '../format.js';
import { warning } from '../streaming/events.js';
import { KeyList } from '../streaming/values.js';

/** Identifiers an endpoint agent reports, by Roster key type. */
export interface EndpointIds {
  readonly serial?: unknown;
  readonly uuid?: unknown;
  readonly hostname?: unknown;
  readonly ips?: readonly unknown[];
  readonly mac?: unknown;
}

/** Field names to cite in warnings, as the input spells them. */
export interface EndpointFields {
  readonly serial: string;
  readonly uuid: string;
}

/**
 * Keys of an endpoint: serial number and hardware UUID (strong), hostname, IP and MAC (weak).
 * BIOS placeholders (`To Be Filled By O.E.M.`, `0`, `Default string`, all-zero UUIDs) never
 * identify (DESIGN.md rule 2): normalizeKey drops them and a warning names the field.
 */
export function endpointKeys(
  ids: EndpointIds,
  fields: EndpointFields,
  at: { file: string; line: number },
): { keys: Key[]; warnings: ParseEvent[] } {
  const list = new KeyList();
  list.add('serial-number', ids.serial, fields.serial);
  list.add('hardware-uuid', ids.uuid, fields.uuid);
  list.add('hostname', ids.hostname);
  for (const ip of ids.ips ?? []) list.add('ip', ip);
  list.add('mac', ids.mac);
  const warnings = list.placeholders.map((p) => {
    const why = `placeholder '${p.value}' does not identify the machine`;
    return warning(at.file, at.line, p.field, 'PLACEHOLDER_KEY', why);
  });
  return { keys: list.keys, warnings };
}
