import type { SourceFormat } from '../format.js';
import { detectServicenow } from './detect.js';
import { parseServicenow } from './parse.js';

/**
 * ServiceNow CMDB exports of `cmdb_ci` tables (CSV under field names or labels, Table API
 * JSON in any display mode) and of `sys_user`. A system of record: it admits assets.
 * See docs/sources/servicenow.md.
 */
export const servicenowCmdb: SourceFormat = {
  name: 'servicenow-cmdb',
  source: 'cmdb',
  systemOfRecord: true,
  description: 'ServiceNow CMDB (cmdb_ci, sys_user) CSV or Table API JSON export',
  example: 'roster ingest cmdb_ci_server.csv --format servicenow-cmdb --timezone Europe/Berlin',
  detect: detectServicenow,
  parse: parseServicenow,
};
