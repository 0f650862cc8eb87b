import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/decide-estate.js';
import { startDecideServer, type DecideHarness } from './harness.js';

interface Item {
  id: string;
  at: string;
  decision: boolean;
  subject: { type: string; id: string; recordId: string | null };
  action: { name: string };
  resource: { type: string; id: string; recordId: string | null };
  reasons: { code: string; message: string }[];
  policies: string[];
  facts: { source: string; field: string; asOf: string | null; text: string }[];
}
interface Page { items: Item[]; next: string | null }

let h: DecideHarness;
const ids: string[] = [];

async function list(query: string, scope: 'read' | 'decide' = 'read') {
  const res = await h.rs.server.inject({ method: 'GET', url: `/api/v1/decisions${query}`,
    headers: h.auth(scope) });
  return { status: res.statusCode, body: res.json() as Page & { error?: { message: string } } };
}

beforeAll(async () => {
  h = await startDecideServer();
  for (const [s, r] of [['web-1', 'db-1'], ['orphan-1', 'web-1'], ['nobody', 'db-1'],
    ['web-1', 'web-1']] as const) {
    const { json } = await h.post('/access/v1/evaluation', request(s, r));
    ids.push((json['context'] as { id: string }).id);
  }
});
afterAll(async () => h.close());

describe('GET /api/v1/decisions', () => {
  it('lists the decisions just made, newest first, with their explanation', async () => {
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(body.items.map((i) => i.id)).toEqual([...ids].reverse());
    const allowed = body.items.find((i) => i.id === ids[0])!;
    expect(allowed).toMatchObject({
      decision: true,
      subject: { type: 'workload', id: 'web-1' },
      action: { name: 'read' },
      resource: { type: 'host', id: 'db-1' },
      reasons: [{ code: 'allowed',
        message: "the subject's trust tier meets the resource's minimum" }],
      policies: ['allow-sufficient-trust-tier'],
    });
    expect(allowed.subject.recordId).toMatch(/^ast_/);
    const fresh = allowed.facts.find((f) => f.source === 'aws');
    expect(fresh).toMatchObject({ source: 'aws', asOf: '2026-11-30T06:00:00.000Z' });
  });

  it('filters by outcome and by subject', async () => {
    const denied = (await list('?decision=false')).body.items;
    expect(denied.map((i) => i.id)).toEqual([ids[2], ids[1]]);
    expect(denied[0]!.reasons[0]).toEqual({ code: 'subject-unknown',
      message: 'Roster has never seen this subject' });
    const web = (await list('?subject=web-1&decision=true')).body.items;
    expect(web.map((i) => i.id)).toEqual([ids[3], ids[0]]);
  });

  it('filters by the inventory record a subject or resource resolved to', async () => {
    const all = (await list('')).body.items;
    const web = all.find((i) => i.id === ids[0])!.subject.recordId!;
    const items = (await list(`?record=${web}`)).body.items;
    expect(items.map((i) => i.id)).toEqual([ids[3], ids[1], ids[0]]);
    // Named by any of its keys, as elsewhere: its hostname, its instance id.
    const byName = (await list('?record=web-1')).body.items;
    expect(byName.map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect((await list('?record=i-0aaa1111bbbb2222c')).body.items).toHaveLength(3);
    // A record id no record has any more still finds the decisions that named it (none here).
    expect((await list('?record=ast_gone')).body.items).toEqual([]);
  });

  it('pages with a cursor', async () => {
    const first = (await list('?limit=3')).body;
    expect(first.items).toHaveLength(3);
    expect(first.next).toBe(ids[1]);
    const second = (await list(`?limit=3&cursor=${first.next}`)).body;
    expect(second.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(second.next).toBeNull();
  });

  it('refuses a bad cursor or decision filter, and a token without read scope', async () => {
    const bad = await list('?cursor=not-an-id');
    expect(bad.status).toBe(400);
    expect((await list('?decision=maybe')).status).toBe(400);
    expect((await list('', 'decide')).status).toBe(403);
  });

  it('returns one decision by id, 404 for an unknown one', async () => {
    const one = await h.rs.server.inject({ method: 'GET', url: `/api/v1/decisions/${ids[1]}`,
      headers: h.auth('read') });
    expect((one.json() as Item).reasons.map((r) => r.code)).toContain('subject-unowned');
    const none = await h.rs.server.inject({ method: 'GET',
      url: '/api/v1/decisions/01ARZ3NDEKTSV4RRFFQ69G5FAV', headers: h.auth('read') });
    expect(none.statusCode).toBe(404);
  });

  it('is declared in the OpenAPI document', async () => {
    const res = await h.rs.server.inject({ method: 'GET', url: '/api/v1/openapi.json',
      headers: h.auth('read') });
    const doc = res.json() as { paths: Record<string, Record<string, { 'x-roster-scope': string }>>;
      components: { schemas: Record<string, unknown> } };
    expect(doc.paths['/api/v1/decisions']?.['get']?.['x-roster-scope']).toBe('read');
    expect(doc.paths['/api/v1/decisions/{id}']?.['get']).toBeDefined();
    expect(doc.components.schemas['LoggedDecision']).toBeDefined();
  });
});
