import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';
import { demoWithSharedIp, SHARED_IP } from '../helpers/shared-ip.js';
import { startDecideServer, type DecideHarness } from './harness.js';

let h: DecideHarness;
beforeAll(async () => {
  h = await startDecideServer();
});
afterAll(async () => h.close());

const SEARCH = { subject: { type: 'workload', id: 'web-1' }, action: { name: 'read' },
  resource: { type: 'asset' } };

describe('a search page.token this PDP never gave', () => {
  it.each(['garbage', 'ast_x', "' OR 1=1"])('is a 400 naming page.token (%j)', async (token) => {
    const r = await h.post('/access/v1/search/resource', { ...SEARCH, page: { token } });
    expect(r.status).toBe(400);
    const error = r.json['error'] as { code: string; details?: { field?: string } };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.details?.field).toBe('page.token');
  });

  it('is a 400 on the action search, which never gives one', async () => {
    const r = await h.post('/access/v1/search/action', {
      subject: SEARCH.subject, resource: { type: 'host', id: 'db-1' }, page: { token: 'x' } });
    expect(r.status).toBe(400);
  });

  it('leaves the tokens it gave, and an empty one, working', async () => {
    const first = await h.post('/access/v1/search/resource', { ...SEARCH, page: { limit: 1 } });
    const token = (first.json['page'] as { next_token: string }).next_token;
    const next = await h.post('/access/v1/search/resource', { ...SEARCH, page: { token } });
    expect(next.status).toBe(200);
    expect((await h.post('/access/v1/search/resource', { ...SEARCH, page: { token: '' } }))
      .status).toBe(200);
  });
});

describe('an unreadable workload proof without any trust bundle', () => {
  it('is proof-invalid, not proof-untrusted', async () => {
    const r = await h.post('/access/v1/evaluation', {
      subject: { type: 'workload', id: 'web-1' }, action: { name: 'read' },
      resource: { type: 'asset', id: 'db-1' }, context: { x509_svid: 'garbage' } });
    expect(r.json['decision']).toBe(false);
    expect((r.json['context'] as { reason: string }).reason).toBe('proof-invalid');
    const jwt = await h.post('/access/v1/evaluation', {
      subject: { type: 'workload', id: 'web-1' }, action: { name: 'read' },
      resource: { type: 'asset', id: 'db-1' }, context: { jwt_svid: 'not.a.jwt' } });
    expect((jwt.json['context'] as { reason: string }).reason).toBe('proof-invalid');
  });
});

describe('a subject key several records hold', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-ambiguous-'));
    await demoWithSharedIp(join(dir, 'r.db'), dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is denied as subject-ambiguous, saying how many records hold it', async () => {
    const file = join(dir, 'req.json');
    writeFileSync(file, JSON.stringify({ subject: { type: 'host', id: SHARED_IP },
      action: { name: 'read' }, resource: { type: 'host', id: 'print-srv-01' } }));
    const r = await roster('--db', join(dir, 'r.db'), 'decide', file, '-o', 'json',
      '--as-of', '2026-12-01T12:00:00Z', '--no-log');
    expect(r.code).toBe(3);
    const context = (JSON.parse(r.out) as { context: { reason: string; reasons: string[];
      reason_admin: { en: string } } }).context;
    expect(context.reason).toBe('subject-ambiguous');
    expect(context.reasons).not.toContain('subject-unknown');
    expect(context.reason_admin.en).toContain(`subject '${SHARED_IP}' is a key 2 records hold`);
    expect(context.reason_admin.en).not.toContain('never seen');
  });
});
