import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-watch-cwd-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('roster watch command sources', () => {
  it('run in the configuration file\'s folder, wherever roster starts', async () => {
    const conf = join(dir, 'conf');
    mkdirSync(conf);
    copyFileSync('examples/estate/cmdb-servers.csv', join(conf, 'cmdb-servers.csv'));
    // A relative file name, as `cat cmdb-servers.csv` would give it.
    const read = "process.stdout.write(require('node:fs').readFileSync('cmdb-servers.csv'))";
    const cfg = join(conf, 'watch.yaml');
    const command = [process.execPath, '-e', read].map((a) => JSON.stringify(a)).join(', ');
    writeFileSync(cfg, 'sources:\n' +
      `  - name: cmdb\n    command: [${command}]\n    format: servicenow-cmdb\n    every: 1h\n`);
    expect(process.cwd()).not.toBe(conf);
    const r = await roster('--db', join(dir, 'r.db'), 'watch', cfg, '--once',
      '--now', '2026-12-01T07:00:00Z');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('cmdb: ingested');
  });
});
