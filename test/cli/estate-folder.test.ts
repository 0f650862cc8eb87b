import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, readManifest } from '../../src/cli/demo-cli.js';
import { roster } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-folder-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the example estate folder', () => {
  it('ingests as a folder, as the README shows: every file an export, exit 0', async () => {
    const r = await roster('--db', join(dir, 'r.db'), 'ingest', 'examples/estate/', '-q',
      '--timezone', 'Europe/Stockholm', '--now', '2026-12-01T12:00:00Z');
    expect(r.err).not.toContain('not a format Roster recognises');
    expect(r.code, r.err).toBe(0);
    const runs = await roster('--db', join(dir, 'r.db'), 'runs', '-o', 'json');
    const files = (JSON.parse(runs.out) as { file: string }[]).map((run) => run.file)
      .filter((f) => f.startsWith('examples/')).sort();
    expect(files).toEqual(readdirSync('examples/estate').map((f) => `examples/estate/${f}`));
  });

  it('holds exactly the exports the demo manifest lists, which lies outside it', () => {
    const listed = readManifest(EXAMPLE_MANIFEST).map((e) => e.file).sort();
    expect(readdirSync('examples/estate').sort()).toEqual(listed);
  });
});
