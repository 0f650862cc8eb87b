import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/decide-estate.js';
import { startDecideServer, type DecideHarness } from './harness.js';

const NO_DELETES = '@id("deny-delete-in-production")\n@reason("production-delete")\n' +
  'forbid (principal, action == Roster::Action::"delete", resource)\n' +
  'when { resource.production };\n';

let dir: string;
let h: DecideHarness;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-policies-'));
  writeFileSync(join(dir, 'extra.cedar'), NO_DELETES);
  h = await startDecideServer({ policyDir: dir });
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

const remove = () => ({ ...request('web-1', 'db-1'), action: { name: 'delete' } });
interface Reload {
  ok: boolean;
  inForce: { policySet: string; policies: number } | null;
  problems: { file: string; line: number | null; message: string }[];
}
async function reload(scope: 'admin' | 'decide' = 'admin') {
  const res = await h.rs.server.inject({ method: 'POST', url: '/api/v1/decide/policies/reload',
    headers: h.auth(scope) });
  return { status: res.statusCode, body: res.json() as Reload };
}

describe('POST /api/v1/decide/policies/reload', () => {
  it('refuses a bad set and keeps the last good one in force', async () => {
    const first = await h.post('/access/v1/evaluation', remove());
    expect((first.json['context'] as { reason: string }).reason).toBe('production-delete');
    const before = (await reload()).body;
    expect(before).toMatchObject({ ok: true, problems: [] });
    expect(before.inForce?.policies).toBe(15);

    writeFileSync(join(dir, 'extra.cedar'), NO_DELETES.replace('resource.production',
      'resource.prod'));
    const refused = await reload();
    expect(refused.status).toBe(200);
    expect(refused.body.ok).toBe(false);
    expect(refused.body.inForce).toEqual(before.inForce);
    expect(refused.body.problems[0]).toMatchObject({ file: join(dir, 'extra.cedar'), line: 4 });
    const still = await h.post('/access/v1/evaluation', remove());
    expect((still.json['context'] as { reason: string }).reason).toBe('production-delete');

    rmSync(join(dir, 'extra.cedar'));
    const emptied = await reload();
    expect(emptied.body.ok).toBe(true);
    expect(emptied.body.inForce?.policies).toBe(14);
    expect(emptied.body.inForce?.policySet).not.toBe(before.inForce?.policySet);
    const now = await h.post('/access/v1/evaluation', remove());
    expect(now.json['decision']).toBe(true);
  });

  it('needs an admin token', async () => {
    expect((await reload('decide')).status).toBe(403);
  });
});
