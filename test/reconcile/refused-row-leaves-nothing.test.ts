import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/model/time.js';
import { ingest } from '../../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../../src/reconcile/rules.js';
import { awsCredentialReport } from '../../src/sources/aws/credential-report.js';
import { awsEc2Instances } from '../../src/sources/aws/ec2-instances.js';
import type { SourceFormat } from '../../src/sources/format.js';
import { mappedCsvFormat } from '../../src/sources/mapped/mapped-formats.js';
import { loadMapping } from '../../src/sources/mapped/mapping-schema.js';
import { textInput } from '../../src/sources/read-file.js';
import { servicenowCmdb } from '../../src/sources/servicenow/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { REPORT_HEADER, reportRow } from '../helpers/credential-report.js';

/**
 * A row the field guard refuses is refused whole (no half-written row): the owner it names is
 * not observed unless a stored row names it too, whichever of the two comes first.
 */
const limits = { maxKeyLength: 1024, maxValueLength: 200 };
const long = 'n'.repeat(201);
const clock = fixedClock('2026-12-01T00:00:00.000Z');

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

async function run(format: SourceFormat, file: string, text: string, mapping?: unknown) {
  return ingest(store, format, textInput(file, text), {
    rules: DEFAULT_PRECEDENCE, clock, limits, asOf: '2026-11-30T00:00:00Z', mapping,
  });
}

async function ownerNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const page of store.scanRecords()) {
    for (const r of page) if (r.kind === 'owner') names.push(r.name);
  }
  return names.sort();
}

describe('a refused row leaves no owner behind', () => {
  it('servicenow-cmdb CSV', async () => {
    const rows = [
      'sys_id,name,owned_by,u_notes',
      `0a1b2c3d4e5f60718293a4b5c6d7e8f1,app-01,Dana Only,${long}`,
      '0a1b2c3d4e5f60718293a4b5c6d7e8f2,app-02,Eli Kept,short',
      `0a1b2c3d4e5f60718293a4b5c6d7e8f3,app-03,Fay Twice,${long}`,
      '0a1b2c3d4e5f60718293a4b5c6d7e8f4,app-04,Fay Twice,short',
    ];
    const r = await run(servicenowCmdb, 'cmdb_ci_server.csv', rows.join('\n'));
    expect(r.rejections.map((j) => [j.line, j.code, j.field])).toEqual([
      [2, 'VALUE_TOO_LONG', 'cmdb.u_notes'], [4, 'VALUE_TOO_LONG', 'cmdb.u_notes']]);
    expect(await ownerNames()).toEqual(['Eli Kept', 'Fay Twice']);
  });

  it('mapped-csv (GLPI computers)', async () => {
    const mapping = loadMapping('examples/mappings/glpi-computers.yaml');
    const header = readFileSync('examples/mapped/glpi-computers.csv', 'utf8').split('\n')[0]!;
    const row = (id: number, user: string, comment: string) =>
      `${id};Root entity;PC-${id};SER${id};INV-${id};;In use;${user};Support;Paris;Model;` +
      `2021-03-15 09:12:00;2025-02-27 17:45:03;2025-02-27 17:45:03;0;${comment}`;
    const text = [header, row(1, 'dana', long), row(2, 'eli', 'ok'), row(3, 'fay', long),
      row(4, 'fay', 'ok')].join('\n');
    const r = await run(mappedCsvFormat, 'glpi.csv', text, mapping);
    expect(r.rejections.map((j) => [j.line, j.code])).toEqual([
      [2, 'VALUE_TOO_LONG'], [4, 'VALUE_TOO_LONG']]);
    expect(await ownerNames()).toEqual(['eli', 'fay']);
  });

  it('aws-ec2-instances', async () => {
    const instance = (n: number, owner: string, description: string) => ({
      InstanceId: `i-0aaa1111bbbb222${n}c`,
      State: { Name: 'running' },
      Tags: [{ Key: 'Owner', Value: owner }, { Key: 'Description', Value: description }],
    });
    const doc = { Reservations: [{ OwnerId: '111122223333', Instances: [
      instance(1, 'dana@example.com', long), instance(2, 'eli@example.com', 'ok'),
      instance(3, 'fay@example.com', long), instance(4, 'fay@example.com', 'ok'),
    ] }] };
    const r = await run(awsEc2Instances, 'ec2.json', JSON.stringify(doc));
    expect(r.rejections.map((j) => [j.item, j.code])).toEqual([
      [1, 'VALUE_TOO_LONG'], [3, 'VALUE_TOO_LONG']]);
    expect(await ownerNames()).toEqual(['eli@example.com', 'fay@example.com']);
  });

  it('aws-credential-report: a row is refused whole and once, its identity and keys alike',
    async () => {
    // The user's name is within the key limit, its ARN (a key too) is not: one refusal.
    const longUser = `svc-${'x'.repeat(1030)}`;
    const text = [REPORT_HEADER, reportRow('ok-user', '2026-11-01T00:00:00+00:00'),
      reportRow(longUser.slice(0, 1000), '2026-11-01T00:00:00+00:00')].join('\n');
    const r = await run(awsCredentialReport, 'report.csv', text);
    expect(r.rejections.map((j) => [j.line, j.code])).toEqual([[3, 'VALUE_TOO_LONG']]);
    expect(r.counts.rejected).toBe(1);
    const kinds: string[] = [];
    for await (const page of store.scanRecords()) {
      for (const rec of page) kinds.push(`${rec.kind}:${rec.name}`);
    }
    expect(kinds.filter((k) => k.includes('svc-'))).toEqual([]);
    expect(kinds.filter((k) => k.includes('ok-user')).sort()).toEqual([
      'credential:ok-user access key 1', 'identity:ok-user']);
  });
});
