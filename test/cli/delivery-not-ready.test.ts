import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app.js';
import { lifecycleOf } from '../../src/lifecycle-app.js';
import { roster } from '../helpers/cli.js';

/**
 * A webhook executor whose secret variable is unset: the command's own work commits, the
 * message names the variable and says the outbox keeps its items, and the exit code is 1
 * (work landed, part failed); `roster deliver`, which has nothing else to do, exits 2 (CONFIG).
 */
const UNSET = 'ROSTER_TEST_SECRET_NEVER_SET_7c1d';

let dir: string;
let db: string;
let config: string;
beforeAll(async () => {
  delete process.env[UNSET];
  dir = mkdtempSync(join(tmpdir(), 'roster-no-secret-'));
  db = join(dir, 'roster.db');
  config = join(dir, 'roster.config.yaml');
  writeFileSync(config, [
    'lifecycle:',
    '  executor: webhook',
    '  webhooks:',
    `    - { name: soar, url: "http://127.0.0.1:9/hook", secretEnv: ${UNSET}, deliver: [actions] }`,
  ].join('\n'));
  const demo = await roster('--db', db, 'demo');
  expect(demo.code, demo.err).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function pendingKeys(): Promise<string[]> {
  const app = await openApp({ db, config });
  try {
    const items = await lifecycleOf(app).ctx.lifecycle.listOutbox('pending');
    return items.map((i) => i.idempotencyKey).sort();
  } finally {
    await app.close();
  }
}

const message = (n: number) =>
  `error: cannot deliver: webhook soar: environment variable ${UNSET} (its HMAC secret) is not ` +
  `set; ${n} outbox item(s) stay queued, nothing was sent (fix the configuration, then run ` +
  "'roster deliver')";

describe('a webhook executor without its secret', () => {
  it('reject commits, names the variable, keeps the actions queued, exits 1', async () => {
    // The demo (no executor configured) planned report-gen-02's three actions, queued nothing.
    expect(await pendingKeys()).toEqual([]);
    const plan = await roster('--db', db, 'offboarding', '-o', 'json');
    const actions = (JSON.parse(plan.out) as { actions: { id: string }[] }[])[0]!.actions;
    const r = await roster('--db', db, '--config', config, 'reject', 'bi-scratch-01',
      '--reason', 'nobody knows it', '--by', 'test', '--now', '2026-12-01T13:00:00Z');
    expect(r.err).toBe(message(3));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^rejected bi-scratch-01 \(ast_[0-9a-f]+\): decommissioning \[run_/);
    const shown = await roster('--db', db, 'show', 'bi-scratch-01', '-o', 'json');
    // Rejected, and with nothing to revoke its (empty) offboarding plan completed: retired.
    expect(JSON.parse(shown.out)).toMatchObject([{ name: 'bi-scratch-01', admission: 'retired' }]);
    // The webhook executor queued them with the decision's step; none was sent.
    expect(await pendingKeys()).toEqual(actions.map((a) => a.id).sort());
  });

  it('ingest lands its run, then says the same and exits 1', async () => {
    const r = await roster('--db', db, '--config', config, 'ingest', '-q',
      join(process.cwd(), 'examples', 'estate', 'cmdb-users.json'),
      '--as-of', '2026-12-02T07:00:00Z', '--now', '2026-12-02T08:00:00Z');
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toContain(message(3));
    expect(r.out).toMatch(/cmdb-users\.json +servicenow-cmdb .* run_20261202080000000_/);
    expect(await pendingKeys()).toHaveLength(3);
  });

  it('deliver, which has nothing else to do, is a configuration error (exit 2)', async () => {
    const r = await roster('--db', db, '--config', config, 'deliver',
      '--now', '2026-12-02T09:00:00Z');
    expect(r.err).toBe(message(3));
    expect(r.code).toBe(2);
  });

  it('serve refuses to start, naming the variable, before it listens (exit 2)', async () => {
    const r = await roster('--db', db, '--config', config, 'serve', '--port', '0');
    expect(r.err).toBe(`error: webhook soar: environment variable ${UNSET} (its HMAC secret) ` +
      'is not set');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });
});
