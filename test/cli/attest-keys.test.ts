import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';
import { SHARED_IP, demoWithSharedIp } from '../helpers/shared-ip.js';

const NOW = '2027-12-10T00:00:00Z';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-attest-'));
  db = join(dir, 'roster.db');
  await demoWithSharedIp(db, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Due { status: string; name: string; recordId: string }

async function due(): Promise<Due[]> {
  const r = await roster('--db', db, 'attest', '--now', NOW, '-o', 'json');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Due[];
}

async function idOf(key: string): Promise<string> {
  const [record] = JSON.parse((await roster('--db', db, 'show', key, '-o', 'json')).out) as
    { id: string }[];
  return record!.id;
}

describe('roster attest KEY', () => {
  it('without --confirm is a usage error that says to add it, and records nothing', async () => {
    const before = await due();
    expect(before.map((d) => d.name)).toContain('web-prod-01');
    const r = await roster('--db', db, 'attest', 'web-prod-01', '--now', NOW);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`error: nothing attested: add --confirm to attest web-prod-01 ` +
      `(${await idOf('web-prod-01')}); without keys, 'roster attest' lists what is due`);
    expect(await due()).toEqual(before);
  });

  it('a key no record holds is an error naming it, with or without --confirm', async () => {
    for (const confirm of [[], ['--confirm']]) {
      const r = await roster('--db', db, 'attest', 'no-such-host', ...confirm, '--now', NOW);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe("error: no asset or identity has the key 'no-such-host'");
    }
  });

  it('a key several records hold is refused, with or without --confirm', async () => {
    const ids = [await idOf('web-old-01'), await idOf('web-prod-01')];
    for (const confirm of [[], ['--confirm']]) {
      const r = await roster('--db', db, 'attest', SHARED_IP, ...confirm, '--now', NOW);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(
        new RegExp(`^error: '${SHARED_IP}' names 2 records: .*; use a record id$`));
      for (const id of ids) expect(r.err).toContain(id);
    }
  });

  it('with --confirm attests the record, which is then no longer due', async () => {
    const id = await idOf('db-prod-01');
    const r = await roster('--db', db, 'attest', 'db-prod-01', '--confirm', '--by', 'maria',
      '--now', NOW);
    expect(r.code).toBe(0);
    expect(r.out).toBe('attested db-prod-01 (' + id + ') by maria at 2027-12-10T00:00:00.000Z');
    const after = await due();
    expect(after.map((d) => d.recordId)).not.toContain(id);
    expect(after.map((d) => d.name)).toContain('web-prod-01');
  });
});
