import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';
import { OLD_SYS_ID, SHARED_IP, demoWithSharedIp } from '../helpers/shared-ip.js';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-show-'));
  db = join(dir, 'roster.db');
  await demoWithSharedIp(db, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Detail { id: string; kind: string; name: string; keys: { type: string; value: string }[] }
interface Several {
  ambiguous: true;
  count: number;
  summary: string;
  matches: { keys: { type: string; value: string }[]; record: Detail }[];
}

describe('roster show, a key several records hold', () => {
  it('says how many records hold the key in the table, then shows each of them', async () => {
    const r = await roster('--db', db, 'show', SHARED_IP);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`2 records hold ip ${SHARED_IP}; each is shown below ` +
      '(a record id shows one):');
    expect(lines[1]).toMatch(/^ {2}asset web-old-01 {2}\(ast_\w+\)$/);
    expect(lines[2]).toMatch(/^ {2}asset web-prod-01 {2}\(ast_\w+\)$/);
    expect(r.out).toContain(`── record 1 of 2: holds ip ${SHARED_IP} ──\nasset web-old-01  (`);
    expect(r.out).toContain(`── record 2 of 2: holds ip ${SHARED_IP} ──\nasset web-prod-01  (`);
    expect(lines.at(-1)).toBe(`2 records hold ip ${SHARED_IP} (all shown above)`);
    // Each record is shown whole: the second one's findings are there too.
    expect(r.out).toContain('conflicting-attributes: sources disagree on owner of web-prod-01');
  });

  it('answers JSON that cannot be taken for one record: ambiguous, count, matches', async () => {
    const r = await roster('--db', db, 'show', SHARED_IP, '-o', 'json');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out) as Several;
    expect(Array.isArray(body)).toBe(false);
    expect(body).toMatchObject({
      ambiguous: true, count: 2, summary: `2 records hold ip ${SHARED_IP}` });
    expect(body.matches.map((m) => m.record.name)).toEqual(['web-old-01', 'web-prod-01']);
    for (const m of body.matches) {
      expect(m.keys).toEqual([{ type: 'ip', value: SHARED_IP }]);
      expect(m.record.keys).toContainEqual({ type: 'ip', value: SHARED_IP });
      expect(m.record).toHaveProperty('attributes');
    }
  });

  it('still shows one record, as an array of one in JSON, for a unique strong key', async () => {
    for (const key of ['i-0a1b2c3d4e5f60718', OLD_SYS_ID]) {
      const table = await roster('--db', db, 'show', key);
      expect(table.code).toBe(0);
      expect(table.out).not.toContain('records hold');
      const json = await roster('--db', db, 'show', key, '-o', 'json');
      const body = JSON.parse(json.out) as Detail[];
      expect(body).toHaveLength(1);
      expect(body[0]!.name).toBe(key === OLD_SYS_ID ? 'web-old-01' : 'web-prod-01');
      // A record's own id names it alone.
      const byId = await roster('--db', db, 'show', body[0]!.id, '-o', 'json');
      expect((JSON.parse(byId.out) as Detail[]).map((d) => d.id)).toEqual([body[0]!.id]);
    }
  });

  it('names an unknown key and exits 1, printing nothing on stdout', async () => {
    for (const format of ['table', 'json']) {
      const r = await roster('--db', db, 'show', '10.99.99.99', '-o', format);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe("no record has the key '10.99.99.99'");
    }
  });
});
