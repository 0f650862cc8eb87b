import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

interface Rec {
  id: string;
  name: string;
  admission: string;
  lifecycle: string | null;
  owner: string | null;
}
interface Plan {
  id: string;
  subject: { id: string };
  actions: { type: string; target: { recordId: string } }[];
}
interface Move { recordId: string; to: string; by: string | null; reason: string | null }
interface Due { recordId: string; basis: string; attestedBy: string | null; status: string }
interface EvidenceOut {
  planId: string;
  complete: boolean;
  references: string[];
  retired: { id: string; reason: string };
}
interface EventOut { id: string; specversion: string; rosterseq: number }

let h: Harness;
let base: string;
beforeAll(async () => {
  h = await startHarness({ server: { eventPollMs: 50 } });
  await h.rs.server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.rs.server.server.address() as { port: number }).port}`;
});
afterAll(() => h.close());

/** The first asset the API lists with this admission. */
async function firstAsset(admission: string): Promise<Rec> {
  const page = await h.getJson<{ items: Rec[] }>(`/api/v1/assets?admission=${admission}&limit=1`);
  return page.items[0]!;
}

async function post(url: string, payload: Record<string, unknown>) {
  return h.rs.server.inject({ method: 'POST', url, headers: h.auth('admin'), payload });
}

describe('lifecycle actions over HTTP', () => {
  it('admits an unknown asset with owner and purpose, audited; a second admit is 409', async () => {
    const unknown = await firstAsset('unknown');
    const r = await post(`/api/v1/records/${unknown.id}/admit`,
      {
        owner: 'Maria Okafor',
        purpose: 'build cache',
        reason: 'found in EC2, confirmed by Maria',
      });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().record).toMatchObject({
      id: unknown.id,
      admission: 'approved',
      owner: 'Maria Okafor',
    });
    const after = await h.getJson<Rec>(`/api/v1/records/${unknown.id}`);
    expect(after.admission).toBe('approved');
    const audit = (await h.rs.server.inject({
      url: '/api/v1/audit?action=lifecycle.admit',
      headers: h.auth('admin'),
    }))
      .json().items[0];
    expect(audit).toMatchObject({
      actorName: 'test-admin', target: unknown.id,
      details: {
        before: { admission: 'unknown' }, after: { admission: 'approved', owner: 'Maria Okafor' },
        reason: 'found in EC2, confirmed by Maria',
      },
    });
    const moves = await h.getJson<{ items: Move[] }>(
      `/api/v1/transitions?record=${unknown.id}`);
    expect(moves.items).toContainEqual(expect.objectContaining({
      recordId: unknown.id, to: 'approved', by: 'token:test-admin',
    }));
    const again = await post(`/api/v1/records/${unknown.id}/admit`, { owner: 'X', purpose: 'Y' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('refused');
  });

  it('refuses an admit without owner, naming the field', async () => {
    const r = await post('/api/v1/records/web-prod-01/admit', { purpose: 'x' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.issues[0].path).toBe('owner');
  });

  it('refuses an admit whose purpose or reason holds a secret: 422, nothing kept', async () => {
    const unknown = await firstAsset('unknown');
    const k = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
    const r = await post(`/api/v1/records/${unknown.id}/admit`,
      { owner: 'Quentin Secret', purpose: `AWSSecretKey=${k}`, reason: 'x' });
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('SECRET_REFUSED');
    expect(r.body).not.toContain('EXAMPLEKEY');
    const after = await h.getJson<Rec>(`/api/v1/records/${unknown.id}`);
    expect(after.admission).toBe('unknown');
    const owners = await h.rs.server.inject({ url: '/api/v1/owners?limit=100',
      headers: h.auth('read') });
    expect(owners.statusCode).toBe(200);
    expect(owners.body).not.toContain('Quentin');
  });

  it('a dry run changes nothing; retiring starts the same plan; evidence is a draft', async () => {
    const url = '/api/v1/assets?lifecycle=in-service&limit=100';
    const assets = (await h.getJson<{ items: Rec[] }>(url)).items;
    let chosen: { rec: Rec; plan: Plan } | undefined;
    for (const a of assets) {
      const dry = await h.getJson<{ plan: Plan; executor: string; events: { id: string }[] }>(
        `/api/v1/records/${a.id}/offboarding-dry-run`);
      if (dry.plan.actions.length > 0) {
        expect(dry.executor).toBe('dry-run');
        expect(dry.events.map((e) => e.id)).toHaveLength(dry.plan.actions.length);
        chosen = { rec: a, plan: dry.plan };
        break;
      }
    }
    expect(chosen, 'an in-service asset with something to revoke').toBeDefined();
    const { rec, plan } = chosen!;
    expect((await h.getJson<Rec>(`/api/v1/records/${rec.id}`)).lifecycle).toBe('in-service');
    const r = await post(
      `/api/v1/records/${rec.id}/retire`,
      { reason: 'decommissioned in ticket 42' },
    );
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { record: Rec; plans: Plan[] };
    expect(body.record).toMatchObject({ lifecycle: 'retired', admission: 'retired' });
    expect(body.plans).toHaveLength(1);
    const targets = (p: Plan) => p.actions.map((a) => `${a.type} ${a.target.recordId}`).sort();
    expect(targets(body.plans[0]!)).toEqual(targets(plan));
    const listed =
      await h.getJson<{ items: Plan[] }>(`/api/v1/offboarding/plans?subject=${rec.id}`);
    expect(listed.items.map((p) => p.id)).toEqual([body.plans[0]!.id]);
    const evidence = await h.getJson<EvidenceOut>(
      `/api/v1/offboarding/plans/${body.plans[0]!.id}/evidence`);
    expect(evidence).toMatchObject({
      planId: body.plans[0]!.id, complete: false,
      retired: { id: rec.id, reason: 'decommissioned in ticket 42' },
    });
    expect(evidence.references).toEqual([
      'OWASP-NHI1:2025',
      'OWASP-NHI7:2025',
      'NIST-CSF-2.0:ID.AM-08',
    ]);
    const illegal = await post(`/api/v1/records/${rec.id}/transition`, { to: 'in-service' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error.code).toBe('CONFLICT');
    const audit = (await h.rs.server.inject({
      url: '/api/v1/audit?action=lifecycle.transition',
      headers: h.auth('admin'),
    }))
      .json().items as { target: string; details: { after: { lifecycle: string } } }[];
    expect(audit.map((a) => [a.target, a.details.after.lifecycle])).toEqual([[rec.id, 'retired']]);
  });

  it('lists attestations due and records one', async () => {
    const due = await h.getJson<{ items: Due[] }>('/api/v1/attestations?all=true');
    expect(due.items.length).toBeGreaterThan(0);
    const target = due.items[0]!;
    const r = await post(
      `/api/v1/records/${target.recordId}/attest`,
      { reason: 'still serves orders' },
    );
    expect(r.statusCode, r.body).toBe(200);
    const after = await h.getJson<{ items: Due[] }>(
      '/api/v1/attestations?all=true');
    expect(after.items.find((i) => i.recordId === target.recordId)).toMatchObject({
      basis: 'attested', attestedBy: 'token:test-admin', status: 'ok',
    });
  });

  it('rejects only unknown things; credentials have no lifecycle', async () => {
    const cred = (await h.getJson<{ items: Rec[] }>('/api/v1/credentials?limit=1')).items[0]!;
    const r = await post(`/api/v1/records/${cred.id}/reject`, {});
    expect(r.statusCode).toBe(409);
    const approved = await firstAsset('approved');
    const again = await post(`/api/v1/records/${approved.id}/reject`, {});
    expect(again.statusCode).toBe(409);
  });
});

describe('change events', () => {
  it('pages CloudEvents by sequence number', async () => {
    const first = await h.getJson<{ items: EventOut[]; next: string }>(
      '/api/v1/events?after=0&limit=5');
    expect(first.items.map((e) => e.rosterseq)).toEqual([1, 2, 3, 4, 5]);
    expect(first.items[0]).toMatchObject({ specversion: '1.0', id: 'evt-1' });
    expect(first.next).toBe('5');
    const second =
      await h.getJson<{ items: EventOut[] }>(`/api/v1/events?after=${first.next}&limit=2`);
    expect(second.items.map((e) => e.rosterseq)).toEqual([6, 7]);
  });

  it('streams new events as Server-Sent Events, and resumes from Last-Event-ID', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${base}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${h.tokens.read}` }, signal: ctl.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = res.body!.getReader();
    const unknown = await firstAsset('unknown');
    const admit = await post(
      `/api/v1/records/${unknown.id}/admit`,
      { owner: 'Jonas Berg', purpose: 'x' },
    );
    expect(admit.statusCode).toBe(200);
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes(unknown.id)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    ctl.abort();
    const messages = text.split('\n\n').filter((m) => m.startsWith('id: '));
    expect(messages.length).toBeGreaterThan(0);
    const firstId = Number(/^id: (\d+)/.exec(messages[0]!)![1]);
    const data = JSON.parse(/\ndata: (.*)/.exec(messages[0]!)![1]!) as {
      rosterseq: number;
      type: string;
    };
    expect(data.rosterseq).toBe(firstId);
    expect(messages[0]).toContain(`event: ${data.type}`);

    const ctl2 = new AbortController();
    const resumed = await fetch(`${base}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${h.tokens.read}`, 'last-event-id': String(firstId - 1) },
      signal: ctl2.signal,
    });
    const r2 = resumed.body!.getReader();
    let text2 = '';
    while (!text2.includes('\nid: ') && !text2.startsWith('id: ')) {
      const { value, done } = await r2.read();
      if (done) break;
      text2 += decoder.decode(value);
    }
    ctl2.abort();
    expect(/(?:^|\n)id: (\d+)/.exec(text2)![1]).toBe(String(firstId));
  });
});
