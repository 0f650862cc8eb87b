import type { Key, RelationType } from '../../model/types.js';
import type { ResolvedEdge } from '../port.js';

/** The relations of the inventory as stored: one row per relation an observation states. */
export interface EdgeRow {
  record_id: string;
  type: RelationType;
  reverse: number;
  target_type: Key['type'];
  target_value: string;
  source: string;
  holder: string | null;
}

/**
 * Edges with the record holding the target key. A target key held by several records of
 * different kinds resolves to each (rare; kinds are filtered by the reader).
 */
export const EDGES_SQL = `SELECT e.record_id, e.type, e.reverse, e.target_type, e.target_value,
  e.source, k.record_id AS holder FROM edges e LEFT JOIN record_keys k
  ON k.key_type = e.target_type AND k.key_value = e.target_value`;

export const TOWARDS_SQL = `SELECT e.record_id, e.type, e.reverse, e.target_type, e.target_value,
  e.source, k.record_id AS holder FROM record_keys m
  JOIN edges e ON e.target_type = m.key_type AND e.target_value = m.key_value
  LEFT JOIN record_keys k ON k.key_type = e.target_type AND k.key_value = e.target_value
  WHERE m.record_id = ?`;

export function toEdge(row: EdgeRow): ResolvedEdge {
  const target: Key = { type: row.target_type, value: row.target_value };
  const self = row.record_id;
  const other = row.holder;
  return row.reverse
    ? { fromId: other, toId: self, type: row.type, fromKey: target, source: row.source }
    : { fromId: self, toId: other, type: row.type, toKey: target, source: row.source };
}
