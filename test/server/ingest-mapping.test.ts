import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.js';
import { roster } from '../helpers/cli.js';
import { NOW, startHarness, type Harness } from './harness.js';

const CSV_FILE = join('examples', 'mapped', 'glpi-computers.csv');
const CSV = readFileSync(CSV_FILE, 'utf8');
const STOCK = readFileSync(join('examples', 'mappings', 'glpi-computers.yaml'), 'utf8');
/** The GLPI mapping for a helpdesk that is no system of record. */
const NOT_SOR = STOCK.replace(/^source: glpi$/m, 'source: helpdesk')
  .replace(/^systemOfRecord: true$/m, 'systemOfRecord: false');
const AS_OF = '2026-12-01T06:00:00.000Z';

interface FileOut {
  file: string;
  format: string | null;
  run: { id: string; source: string; format: string } | null;
  error: { code: string; message: string } | null;
}

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness({ empty: true });
  dir = mkdtempSync(join(tmpdir(), 'roster-mapping-'));
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A multipart upload of the GLPI export with `mapping` as the mapping part. */
async function upload(mapping: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('mapping', new Blob([mapping]), 'glpi-notsor.yaml');
  form.append('file', new Blob([CSV]), 'glpi.csv');
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return h.rs.server.inject({
    method: 'POST',
    url: '/api/v1/ingest?judge=false',
    headers: { ...h.auth('ingest'), 'content-type': req.headers.get('content-type')! },
    payload: Buffer.from(await req.arrayBuffer()),
  });
}

/** What a store holds: each run's source, format and system-of-record flag, and the assets. */
async function stored(app: App) {
  const runs = (await app.store.listRuns()).map((r) => [r.source, r.format]);
  const assets: [string, string, string | null][] = [];
  for await (const page of app.store.scanRecords('asset')) {
    for (const r of page) assets.push([r.name, r.admission, r.lifecycle]);
  }
  return { runs, assets: assets.sort((a, b) => a[0].localeCompare(b[0])) };
}

/** What `roster ingest --mapping` stores for the same file and mapping, in a fresh database. */
async function throughCli(mapping: string, name: string) {
  const db = join(dir, `${name}.db`);
  const mappingFile = join(dir, `${name}.yaml`);
  writeFileSync(mappingFile, mapping);
  const r = await roster('--db', db, 'ingest', '--mapping', mappingFile, '--as-of', AS_OF,
    '--now', NOW, '--no-judge', '-q', CSV_FILE);
  expect(r.code, r.err).toBe(0);
  const app = await openApp({ db });
  try {
    return await stored(app);
  } finally {
    await app.close();
  }
}

describe('POST /api/v1/ingest with a mapping', () => {
  it('takes the run source and system-of-record flag from the mapping, as the CLI does',
    async () => {
      const r = await upload(NOT_SOR, { format: 'mapped-csv', asOf: AS_OF });
      expect(r.statusCode, r.body).toBe(201);
      const [file] = (r.json() as { files: FileOut[] }).files;
      expect(file!.run).toMatchObject({ source: 'helpdesk', format: 'mapped-csv' });
      const api = await stored(h.app);
      // A feed that is no system of record admits nothing and retires nothing.
      // A feed that is no system of record admits nothing and retires nothing: GLPI's
      // `Retired` state still moves PC-PAR-0102's lifecycle, and the lifecycle step records so.
      expect(api).toEqual({
        runs: [['helpdesk', 'mapped-csv'], ['roster', 'roster-retirement']],
        assets: [
          ['LYO-LAB-07', 'unknown', null],
          ['PC-PAR-0101', 'unknown', 'in-service'],
          ['PC-PAR-0102', 'unknown', 'retired'],
        ],
      });
      expect(api).toEqual(await throughCli(NOT_SOR, 'not-sor'));
    });

  it('reads a mapped export with no format field, the format taken from the mapping',
    async () => {
      const r = await upload(STOCK, { asOf: AS_OF });
      expect(r.statusCode, r.body).toBe(201);
      const [file] = (r.json() as { files: FileOut[] }).files;
      expect([file!.format, file!.error]).toEqual(['mapped-csv', null]);
      expect(file!.run).toMatchObject({ source: 'glpi', format: 'mapped-csv' });
    });

  it('refuses an invalid mapping with 400 naming its file and field; stores nothing',
    async () => {
      const before = (await h.app.store.listRuns()).length;
      const r = await upload(STOCK.replace('type: serial-number', 'type: serial'), {});
      expect(r.statusCode, r.body).toBe(400);
      const error = (r.json() as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/^glpi-notsor\.yaml: invalid mapping: keys\[1\]\.type: /);
      expect((await h.app.store.listRuns()).length).toBe(before);
    });
});
