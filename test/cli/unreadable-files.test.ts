import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
let db: string;
let missing: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-unreadable-'));
  db = join(dir, 'r.db');
  missing = join(dir, 'nope.yaml');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a file an option names that cannot be read is an error naming it', () => {
  it('ingest --mapping', async () => {
    const csv = join(dir, 'x.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    const r = await roster('--db', db, 'ingest', csv, '--mapping', missing, '-q');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: cannot read the mapping file ${missing}: no such file`);
    expect(r.out).toBe('');
  });

  it('--config', async () => {
    const r = await roster('--db', db, '--config', missing, 'assets');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: cannot read the config file ${missing}: no such file`);
  });

  it('--config naming a folder', async () => {
    const r = await roster('--db', db, '--config', dir, 'assets');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: cannot read the config file ${dir}: it is a folder`);
  });

  it('watch CONFIG', async () => {
    const r = await roster('--db', db, 'watch', missing, '--once');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: cannot read the watch configuration ${missing}: no such file`);
  });

  it('admit --file', async () => {
    const r = await roster('--db', db, 'admit', '--file', missing);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: cannot read the admission file ${missing}: no such file`);
  });

  it("a trust bundle the config's decide.trustBundles names", async () => {
    const bundle = join(dir, 'bundle.jwks.json');
    const config = join(dir, 'trust.yaml');
    writeFileSync(config, `decide:\n  trustBundles:\n    - { trustDomain: example.org, path: ${
      bundle} }\n`);
    const r = await roster('--db', db, '--config', config, 'decide',
      'examples/decide/backup-reads-print-server.json');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: cannot read the trust bundle ${bundle}: no such file`);
  });
});

describe('a --db file that is not SQLite is named, without a stack trace', () => {
  it.each([['assets'], ['runs'], ['ingest', 'examples/estate/cmdb-users.json', '-q']])(
    '%s', async (...args) => {
      const corrupt = join(dir, 'corrupt.db');
      writeFileSync(corrupt, 'junk\n'.repeat(200));
      const r = await roster('--db', corrupt, ...args);
      expect(r.code).toBe(1);
      expect(r.err).toBe(
        `error: ${corrupt} is not a Roster database (SQLite says: file is not a database)`);
      expect(r.out).toBe('');
    });

  it('a --db in a folder that does not exist', async () => {
    const nowhere = join(dir, 'no-such-folder', 'r.db');
    const r = await roster('--db', nowhere, 'assets');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: cannot open database ${nowhere}: .*directory`));
  });

  it('a --db that is a folder', async () => {
    const folder = join(dir, 'a-folder.db');
    mkdirSync(folder);
    const r = await roster('--db', folder, 'assets');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^error: cannot open database ${folder}: `));
  });
});
