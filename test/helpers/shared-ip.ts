import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { roster } from './cli.js';

/** The IP address web-prod-01 holds in the example estate, which web-old-01 below holds too. */
export const SHARED_IP = '10.20.1.15';

/** The ServiceNow sys_id of web-old-01, a strong key only it holds. */
export const OLD_SYS_ID = 'aa11bb22cc33dd44ee55ff6677889900';

/**
 * A ServiceNow CMDB server export (the example estate's header) with one more host, web-old-01,
 * holding the IP address of web-prod-01: one weak key, two records. Ingest it as a partial run
 * as of 2026-11-30T07:00:00Z in Europe/Stockholm, like the estate's own CMDB file.
 */
export function sharedIpCsv(): string {
  const estate = readFileSync(join('examples', 'estate', 'cmdb-servers.csv'), 'utf8');
  const header = estate.split('\n')[0]!;
  const row = [
    OLD_SYS_ID, 'web-old-01', 'cmdb_ci_linux_server', '', 'HLV-00399',
    'web-old-01.halvard.example', 'web-old-01', SHARED_IP, '02:1a:3c:4d:5e:99', '',
    'Maria Okafor', 'Jonas Berg', 'Web Platform', 'Installed', 'Operational', 'Production',
    '2 - somewhat critical', '2026-11-30 06:10:00', 'Old web tier', 'Linux Red Hat 8', 'CC-4410',
    '2026-11-29 17:45:12',
  ].join(',');
  return `${header}\n${row}\n`;
}

/**
 * The demo estate in `db`, then {@link sharedIpCsv} ingested through the CLI from a file in
 * `dir`: {@link SHARED_IP} is then held by web-prod-01 and web-old-01. Throws if either fails.
 */
export async function demoWithSharedIp(db: string, dir: string): Promise<void> {
  const demo = await roster('--db', db, 'demo');
  if (demo.code !== 0) throw new Error(`roster demo: ${demo.err}`);
  const csv = join(dir, 'cmdb-extra.csv');
  writeFileSync(csv, sharedIpCsv());
  const ingest = await roster('--db', db, 'ingest', '--partial', '-q', '--as-of',
    '2026-11-30T07:00:00Z', '--timezone', 'Europe/Stockholm', csv);
  if (ingest.code !== 0 || ingest.err !== '') throw new Error(`roster ingest: ${ingest.err}`);
}
