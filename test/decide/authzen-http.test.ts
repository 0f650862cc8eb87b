import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmdb, cmdbRows, ingestRows, request, WORKLOAD } from '../helpers/decide-estate.js';
import { issueSvid, makeCa } from '../helpers/svid.js';
import { startDecideServer, type DecideHarness } from './harness.js';

const EVAL = '/access/v1/evaluation';
const EVALS = '/access/v1/evaluations';

interface Ctx {
  id: string;
  reason: string;
  reasons: string[];
  policies: { id: string; effect: string; reason: string }[];
  facts: { entity: string; name: string; value: unknown; source: string; asOf: string | null }[];
  reason_admin: { en: string };
}
const ctxOf = (json: Record<string, unknown>) => json['context'] as Ctx;
const messageOf = (json: Record<string, unknown>) =>
  (json['error'] as { message: string }).message;

let h: DecideHarness;
beforeAll(async () => {
  h = await startDecideServer();
});
afterAll(async () => h.close());

describe('POST /access/v1/evaluation', () => {
  it('allows an admitted, owned, fresh subject and explains why', async () => {
    const res = await h.rs.server.inject({
      method: 'POST', url: EVAL, payload: request('web-1', 'db-1'),
      headers: { ...h.auth('decide'), 'x-request-id': 'pep-call-42' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('pep-call-42');
    const body = res.json() as Record<string, unknown>;
    expect(body['decision']).toBe(true);
    const c = ctxOf(body);
    expect(c.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(c.reason).toBe('allowed');
    expect(c.policies).toEqual([
      { id: 'allow-sufficient-trust-tier', effect: 'permit', reason: 'allowed' },
    ]);
    const fresh = c.facts.find((f) => f.entity === 'subject' && f.name === 'freshness');
    expect(fresh).toMatchObject({ value: 'fresh', source: 'aws',
      asOf: '2026-11-30T06:00:00.000Z' });
  });

  it.each([
    ['an unknown subject', 'i-0fff1111bbbb2222c', 'db-1', 'subject-unknown'],
    ['an unowned subject', 'orphan-1', 'web-1', 'subject-unowned'],
    ['a subject whose owner left', 'bobs-1', 'web-1', 'subject-owner-inactive'],
  ])('denies %s with HTTP 200 and its reason code', async (_what, subject, resource, reason) => {
    const { status, json } = await h.post(EVAL, request(subject, resource));
    expect(status).toBe(200);
    expect(json['decision']).toBe(false);
    expect(ctxOf(json).reason).toBe(reason);
    expect(ctxOf(json).reason_admin.en).toMatch(/^denied/);
  });

  it('ignores fields it does not know, at every level', async () => {
    const body = { ...request('web-1', 'db-1'), extension: { x: 1 } };
    const withExtra = { ...body, subject: { ...body.subject, nickname: 'w1' } };
    const { status, json } = await h.post(EVAL, withExtra);
    expect(status).toBe(200);
    expect(json['decision']).toBe(true);
  });

  it('answers a malformed request with 400 naming the field', async () => {
    const { status, json } = await h.post(EVAL, { subject: { type: 'workload' },
      action: { name: 'read' }, resource: { type: 'host', id: 'db-1' } });
    expect(status).toBe(400);
    const err = json['error'] as { code: string; message: string; requestId: string };
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/subject\.id/);
    expect(err.requestId).toBeTruthy();
  });

  it('refuses a body that is not JSON and one without action', async () => {
    const res = await h.rs.server.inject({ method: 'POST', url: EVAL, payload: '{"subject":',
      headers: { ...h.auth('decide'), 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    const noAction = await h.post(EVAL, { subject: { type: 'a', id: 'b' },
      resource: { type: 'host', id: 'db-1' } });
    expect(noAction.status).toBe(400);
    expect(messageOf(noAction.json)).toMatch(/^not an AuthZEN.*action/);
  });

  it('needs a token with the decide scope', async () => {
    const read = await h.post(EVAL, request('web-1', 'db-1'), 'read');
    expect(read.status).toBe(403);
    expect((read.json['error'] as { message: string }).message).toMatch(/decide/);
    const admin = await h.post(EVAL, request('web-1', 'db-1'), 'admin');
    expect(admin.status).toBe(200);
    const none = await h.rs.server.inject({ method: 'POST', url: EVAL,
      payload: request('a', 'b') });
    expect(none.statusCode).toBe(401);
  });
});

describe('POST /access/v1/evaluations', () => {
  const batch = (semantic: string | undefined, resources: string[]) => ({
    subject: { type: 'workload', id: 'web-1' },
    action: { name: 'read' },
    evaluations: resources.map((id) => ({ resource: { type: 'host', id } })),
    ...(semantic ? { options: { evaluations_semantic: semantic } } : {}),
  });
  const decisions = (json: Record<string, unknown>) =>
    (json['evaluations'] as { decision: boolean }[]).map((e) => e.decision);

  it('executes all items in request order by default', async () => {
    const { status, json } = await h.post(EVALS,
      batch(undefined, ['db-1', 'nobody-9', 'vault-1', 'web-1']));
    expect(status).toBe(200);
    expect(decisions(json)).toEqual([true, false, false, true]);
    const reasons = (json['evaluations'] as { context: Ctx }[]).map((e) => e.context.reason);
    expect(reasons.slice(0, 2)).toEqual(['allowed', 'resource-unknown']);
  });

  it('stops after the first deny with deny_on_first_deny', async () => {
    const { json } = await h.post(EVALS,
      batch('deny_on_first_deny', ['db-1', 'nobody-9', 'web-1']));
    expect(decisions(json)).toEqual([true, false]);
  });

  it('stops after the first permit with permit_on_first_permit', async () => {
    const { json } = await h.post(EVALS,
      batch('permit_on_first_permit', ['nobody-9', 'db-1', 'web-1']));
    expect(decisions(json)).toEqual([false, true]);
  });

  it('lets an item override the defaults, subject and action alike', async () => {
    const body = {
      ...batch('execute_all', ['db-1']),
      evaluations: [
        { resource: { type: 'host', id: 'db-1' } },
        { subject: { type: 'workload', id: 'orphan-1' }, resource: { type: 'host', id: 'web-1' } },
        { action: { name: 'write' }, resource: { type: 'host', id: 'db-1' } },
      ],
    };
    const { json } = await h.post(EVALS, body);
    const items = json['evaluations'] as { decision: boolean; context: Ctx }[];
    expect(items.map((i) => [i.decision, i.context.reason])).toEqual([
      [true, 'allowed'], [false, 'subject-unowned'], [true, 'allowed'],
    ]);
    const logged = await h.rs.server.inject({ method: 'GET',
      url: `/api/v1/decisions/${items[2]!.context.id}`, headers: h.auth('read') });
    expect((logged.json() as { action: { name: string } }).action.name).toBe('write');
  });

  it('turns an item that is not a request into a deny with context.error', async () => {
    const body = { action: { name: 'read' }, evaluations: [
      { subject: { type: 'workload', id: 'web-1' }, resource: { type: 'host', id: 'db-1' } },
      { resource: { type: 'host', id: 'db-1' } },
    ] };
    const { status, json } = await h.post(EVALS, body);
    expect(status).toBe(200);
    const items = json['evaluations'] as { decision: boolean; context: Record<string, unknown> }[];
    expect(items[0]!.decision).toBe(true);
    expect(items[1]!.decision).toBe(false);
    expect(items[1]!.context['error']).toMatchObject({ status: 400 });
    expect((items[1]!.context['error'] as { message: string }).message)
      .toMatch(/evaluations\[1\]: subject/);
  });

  it('counts an item in error as the first deny', async () => {
    const body = { ...batch('deny_on_first_deny', ['db-1']), evaluations: [
      { resource: { type: 'host' } }, { resource: { type: 'host', id: 'db-1' } },
    ] };
    const { json } = await h.post(EVALS, body);
    expect(decisions(json)).toEqual([false]);
  });

  it('refuses an unknown semantic; without items it is one evaluation', async () => {
    const bad = await h.post(EVALS, batch('first_come', ['db-1']));
    expect(bad.status).toBe(400);
    expect(messageOf(bad.json)).toMatch(/options\.evaluations_semantic/);
    const single = await h.post(EVALS, request('web-1', 'db-1'));
    expect(single.json['decision']).toBe(true);
  });

  it('answers an empty evaluations array as one evaluation (section 7.1)', async () => {
    const single = await h.post(EVALS, { ...request('web-1', 'db-1'), evaluations: [] });
    expect(single.status).toBe(200);
    expect(single.json['decision']).toBe(true);
    expect(single.json['evaluations']).toBeUndefined();
    const denied = await h.post(EVALS, { ...request('orphan-1', 'web-1'), evaluations: [] });
    expect(ctxOf(denied.json).reason).toBe('subject-unowned');
    // Without the defaults an empty batch is not a request: a 400 naming the field.
    const bare = await h.post(EVALS, { evaluations: [] });
    expect(bare.status).toBe(400);
    expect(messageOf(bare.json)).toMatch(/subject/);
  });
});

describe('hostile input', () => {
  it('refuses a batch of more than 1000 items, naming the field', async () => {
    const items = Array.from({ length: 1001 }, () => ({ resource: { type: 'host', id: 'db-1' } }));
    const { status, json } = await h.post(EVALS, { subject: { type: 'w', id: 'web-1' },
      action: { name: 'read' }, evaluations: items });
    expect(status).toBe(400);
    expect(messageOf(json)).toMatch(/^evaluations: at most 1000 items/);
  });

  it('refuses prototype poisoning and a body that is not an object', async () => {
    const poisoned = await h.rs.server.inject({ method: 'POST', url: EVAL,
      headers: { ...h.auth('decide'), 'content-type': 'application/json' },
      payload: '{"subject":{"type":"w","id":"x","__proto__":{"admin":true}},' +
        '"action":{"name":"read"},"resource":{"type":"host","id":"db-1"}}' });
    expect(poisoned.statusCode).toBe(400);
    const list = await h.post(EVAL, [request('web-1', 'db-1')]);
    expect(list.status).toBe(400);
    expect(messageOf(list.json)).toMatch(/\(body\)/);
  });

  it('answers a JSON body sent as text/plain with 415, naming the type it needs', async () => {
    const res = await h.rs.server.inject({ method: 'POST', url: EVAL,
      headers: { ...h.auth('decide'), 'content-type': 'text/plain' },
      payload: JSON.stringify(request('web-1', 'db-1')) });
    expect(res.statusCode).toBe(415);
    const error = (res.json() as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toBe(
      'an AuthZEN evaluation request is sent as application/json (got text/plain)');
    const charset = await h.rs.server.inject({ method: 'POST', url: EVAL,
      headers: { ...h.auth('decide'), 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify(request('web-1', 'db-1')) });
    expect(charset.statusCode).toBe(200);
  });

  it('denies, never trusts, a subject that claims facts the inventory contradicts', async () => {
    const claim = { ...request('dev-1', 'web-1'),
      subject: { type: 'workload', id: 'dev-1', properties: { environment: 'production' } } };
    const { json } = await h.post(EVAL, claim);
    expect(json['decision']).toBe(false);
    expect(ctxOf(json).reasons).toContain('environment-mismatch');
  });
});

describe('live inventory', () => {
  it('denies a retired asset on the very next request', async () => {
    expect((await h.post(EVAL, request('web-1', 'db-1'))).json['decision']).toBe(true);
    const retired = { web1: { admission: 'retired', lifecycle: 'retired' } };
    await ingestRows(h.app, cmdb, cmdbRows(retired),
      '2026-12-01T00:00:00.000Z');
    const { json } = await h.post(EVAL, request('web-1', 'db-1'));
    expect(json['decision']).toBe(false);
    expect(ctxOf(json).reason).toBe('subject-retired');
    await ingestRows(h.app, cmdb, cmdbRows(), '2026-12-01T01:00:00.000Z');
    expect((await h.post(EVAL, request('web-1', 'db-1'))).json['decision']).toBe(true);
  });

  it('keeps what the directory says of an owner when the CMDB is ingested again', async () => {
    await ingestRows(h.app, cmdb, cmdbRows(), '2026-12-01T02:00:00.000Z');
    const { json } = await h.post(EVAL, request('bobs-1', 'web-1'));
    expect(ctxOf(json).reason).toBe('subject-owner-inactive');
  });
});

describe('a refused policy set', () => {
  it('denies every request with no-policies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-bad-policies-'));
    writeFileSync(join(dir, 'typo.cedar'),
      'permit (principal, action, resource) when { principal.trustLevel > 1 };\n');
    const refused = await startDecideServer({ policyDir: dir });
    try {
      const { status, json } = await refused.post(EVAL, request('web-1', 'db-1'));
      expect(status).toBe(200);
      expect(json['decision']).toBe(false);
      expect(ctxOf(json).reason).toBe('no-policies');
    } finally {
      await refused.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    }
  });
});

describe('stale subjects', () => {
  it('denies a subject no discovery source has seen within its window', async () => {
    const later = await startDecideServer({ now: '2026-12-04T12:00:00.000Z' });
    try {
      const { json } = await later.post(EVAL, request('web-1', 'db-1'));
      expect(json['decision']).toBe(false);
      expect(ctxOf(json).reason).toBe('subject-stale');
    } finally {
      await later.close();
    }
  });
});

describe('workload proofs', () => {
  let svidServer: DecideHarness;
  let ca: Awaited<ReturnType<typeof makeCa>>;
  beforeAll(async () => {
    ca = await makeCa('example.org');
    svidServer = await startDecideServer({ bundlePem: ca.pem });
  });
  afterAll(async () => svidServer.close());

  const withSvid = (pem: string) => ({
    subject: { type: 'workload', id: WORKLOAD },
    action: { name: 'read' },
    resource: { type: 'host', id: 'vault-1' },
    context: { x509_svid: pem },
  });

  it('allows a verified X509-SVID of an admitted workload to a critical resource', async () => {
    const { json } = await svidServer.post(EVAL, withSvid(await issueSvid(ca, WORKLOAD)));
    expect(ctxOf(json).reason).toBe('allowed');
    expect(json['decision']).toBe(true);
  });

  it('denies an expired X509-SVID with proof-expired', async () => {
    const expired = await issueSvid(ca, WORKLOAD, { notAfter: new Date('2026-11-30T00:00:00Z') });
    const { status, json } = await svidServer.post(EVAL, withSvid(expired));
    expect(status).toBe(200);
    expect(json['decision']).toBe(false);
    expect(ctxOf(json).reason).toBe('proof-expired');
  });

  it('requires a proof for a critical resource', async () => {
    const { json } = await svidServer.post(EVAL, request(WORKLOAD, 'vault-1'));
    expect(ctxOf(json).reasons).toContain('proof-required');
  });
});

describe('GET /.well-known/authzen-configuration', () => {
  it('is public and names every endpoint on the host the caller reached', async () => {
    const res = await h.rs.server.inject({ method: 'GET', url: '/.well-known/authzen-configuration',
      headers: { host: 'pdp.example.test:8443' } });
    expect(res.statusCode).toBe(200);
    const base = 'http://pdp.example.test:8443';
    expect(res.json()).toEqual({
      policy_decision_point: base,
      access_evaluation_endpoint: `${base}/access/v1/evaluation`,
      access_evaluations_endpoint: `${base}/access/v1/evaluations`,
      search_subject_endpoint: `${base}/access/v1/search/subject`,
      search_resource_endpoint: `${base}/access/v1/search/resource`,
      search_action_endpoint: `${base}/access/v1/search/action`,
    });
  });
});

describe('search', () => {
  interface Page { results: { type?: string; id?: string; name?: string }[];
    page: { next_token: string } }

  it('finds the resources a subject may read, each allowed when evaluated', async () => {
    const { status, json } = await h.post('/access/v1/search/resource', {
      subject: { type: 'workload', id: 'web-1' }, action: { name: 'read' },
      resource: { type: 'asset' },
    });
    expect(status).toBe(200);
    const ids = (json as unknown as Page).results.map((r) => r.id!);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain('vault-1');
    for (const id of ids) {
      expect((await h.post(EVAL, request('web-1', id))).json['decision'], id).toBe(true);
    }
  });

  it('pages with next_token', async () => {
    const q = { subject: { type: 'workload', id: 'web-1' }, action: { name: 'read' },
      resource: { type: 'asset' } };
    const all = (await h.post('/access/v1/search/resource', q)).json as unknown as Page;
    const first = (await h.post('/access/v1/search/resource', { ...q, page: { limit: 1 } }))
      .json as unknown as Page;
    expect(first.results).toHaveLength(1);
    expect(first.page.next_token).not.toBe('');
    const second = (await h.post('/access/v1/search/resource',
      { ...q, page: { limit: 1, token: first.page.next_token } })).json as unknown as Page;
    expect(second.results[0]?.id).toBe(all.results[1]?.id);
  });

  it('finds subjects and actions', async () => {
    const subjects = (await h.post('/access/v1/search/subject', {
      subject: { type: 'asset' }, action: { name: 'read' }, resource: { type: 'host', id: 'db-1' },
    })).json as unknown as Page;
    const names = subjects.results.map((r) => r.id);
    // Each result is named by its first key that resolves to it alone: web-1's instance id.
    expect(names).toEqual(['i-0aaa1111bbbb2222c']);
    const actions = (await h.post('/access/v1/search/action', {
      subject: { type: 'workload', id: 'web-1' }, resource: { type: 'host', id: 'db-1' },
    })).json as unknown as Page;
    expect(actions.results.map((a) => a.name)).toEqual(
      ['admin', 'connect', 'delete', 'execute', 'read', 'write']);
  });

  it('accepts the type names of evaluations in a search (host, service-account)', async () => {
    const q = { action: { name: 'read' }, resource: { type: 'host', id: 'db-1' } };
    const byKind = (await h.post('/access/v1/search/subject', { ...q, subject: { type: 'asset' } }))
      .json as unknown as Page;
    const byHost = (await h.post('/access/v1/search/subject', { ...q, subject: { type: 'host' } }))
      .json as unknown as Page;
    expect(byHost.results).toEqual([{ type: 'host', id: 'i-0aaa1111bbbb2222c' }]);
    expect(byHost.results.map((r) => r.id)).toEqual(byKind.results.map((r) => r.id));
    const none = (await h.post('/access/v1/search/subject', { ...q, subject: { type: 'nosuch' } }))
      .json as unknown as Page;
    expect(none.results).toEqual([]);
  });

  it('answers a search without the required type with 400', async () => {
    const { status, json } = await h.post('/access/v1/search/subject', {
      subject: {}, action: { name: 'read' }, resource: { type: 'host', id: 'db-1' },
    });
    expect(status).toBe(400);
    expect((json['error'] as { message: string }).message).toMatch(/subject\.type/);
  });
});
