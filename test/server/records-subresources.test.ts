import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_IP } from '../helpers/shared-ip.js';
import { startHarness, uploadSharedIp, type Harness } from './harness.js';

/** web-prod-01's EC2 instance id in the example estate: a key only it holds. */
const INSTANCE_ID = 'i-0a1b2c3d4e5f60718';
const UNKNOWN = '10.99.99.99';

let h: Harness;
let webId: string;
beforeAll(async () => {
  h = await startHarness();
  await uploadSharedIp(h);
  webId = (await h.getJson<{ id: string }>(`/api/v1/records/hostname:web-prod-01`)).id;
});
afterAll(() => h.close());

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

async function get(url: string) {
  return h.rs.server.inject({ url, headers: h.auth('read') });
}

async function post(url: string, body: object) {
  return h.rs.server.inject({ method: 'POST', url, headers: h.auth('admin'), payload: body });
}

/** The 409 a shared key answers: both hosts holding the IP address, never one of them. */
function expectAmbiguous(r: { statusCode: number; json(): unknown }, url: string) {
  expect(r.statusCode, url).toBe(409);
  const error = (r.json() as ErrorBody).error;
  expect(error.code, url).toBe('AMBIGUOUS_KEY');
  expect(error.details?.['count'], url).toBe(2);
  const candidates = error.details?.['candidates'] as { id: string; name: string }[];
  expect(candidates.map((c) => c.name), url).toEqual(['web-old-01', 'web-prod-01']);
  expect(candidates[1]!.id, url).toBe(webId);
}

function expectNotFound(r: { statusCode: number; json(): unknown }, url: string) {
  expect(r.statusCode, url).toBe(404);
  expect((r.json() as ErrorBody).error, url).toEqual(expect.objectContaining({
    code: 'NOT_FOUND', message: 'no record matches this reference' }));
}

const READS = ['history', 'relations', 'offboarding-dry-run'];

describe('GET /records/{ref}/<part> takes a reference as /records/{ref} does', () => {
  it('answers the same for the record id and for a key only it holds', async () => {
    for (const part of READS) {
      const byId = await h.getJson<Record<string, unknown>>(`/api/v1/records/${webId}/${part}`);
      for (const ref of [INSTANCE_ID, `aws-instance-id:${INSTANCE_ID}`]) {
        const byKey = await h.getJson<unknown>(`/api/v1/records/${ref}/${part}`);
        expect(byKey, `${part} by ${ref}`).toEqual(byId);
      }
    }
  });

  it('gives the resolved record id and its own history and relations', async () => {
    const history = await h.getJson<{ recordId: string; items: { type: string }[] }>(
      `/api/v1/records/${INSTANCE_ID}/history`);
    expect(history.recordId).toBe(webId);
    expect(history.items[0]!.type).toBe('record.added');
    const relations = await h.getJson<{ recordId: string; items: { type: string }[] }>(
      `/api/v1/records/${INSTANCE_ID}/relations`);
    expect(relations.recordId).toBe(webId);
    expect(relations.items.map((i) => i.type)).toContain('owned-by');
    const dry = await h.getJson<{ plan: { subject: { id: string; name: string } } }>(
      `/api/v1/records/${INSTANCE_ID}/offboarding-dry-run`);
    expect(dry.plan.subject).toMatchObject({ id: webId, name: 'web-prod-01' });
  });

  it('answers 409 AMBIGUOUS_KEY with both candidates for a key two records hold', async () => {
    for (const part of READS) {
      for (const ref of [SHARED_IP, `ip:${SHARED_IP}`]) {
        const url = `/api/v1/records/${ref}/${part}`;
        expectAmbiguous(await get(url), url);
      }
    }
  });

  it('answers 404 for a key no record holds', async () => {
    for (const part of READS) {
      const url = `/api/v1/records/${UNKNOWN}/${part}`;
      expectNotFound(await get(url), url);
    }
  });
});

/** Each lifecycle action, with a body it accepts. */
const ACTIONS: [string, object][] = [
  ['admit', { owner: 'Maria Okafor', purpose: 'web tier' }],
  ['reject', {}],
  ['retire', { to: 'retired' }],
  ['transition', { to: 'maintenance' }],
  ['attest', {}],
];

describe('POST /records/{ref}/<action> takes a reference as /records/{ref} does', () => {
  it('refuses a key two records hold with 409 AMBIGUOUS_KEY, and changes nothing', async () => {
    const before = await h.getJson<unknown>(`/api/v1/records/${webId}`);
    for (const [action, body] of ACTIONS) {
      const url = `/api/v1/records/${SHARED_IP}/${action}`;
      expectAmbiguous(await post(url, body), url);
    }
    expect(await h.getJson<unknown>(`/api/v1/records/${webId}`)).toEqual(before);
  });

  it('answers 404 for a key no record holds', async () => {
    for (const [action, body] of ACTIONS) {
      const url = `/api/v1/records/${UNKNOWN}/${action}`;
      expectNotFound(await post(url, body), url);
    }
  });

  it('acts on the one record a unique key names, as by its id', async () => {
    // web-prod-01 is approved: admitting it again is refused, by id and by key alike.
    const byId = await post(`/api/v1/records/${webId}/admit`, ACTIONS[0]![1]);
    const byKey = await post(`/api/v1/records/${INSTANCE_ID}/admit`, ACTIONS[0]![1]);
    expect([byId.statusCode, byKey.statusCode]).toEqual([409, 409]);
    expect((byKey.json() as ErrorBody).error.code).toBe('CONFLICT');
    expect(byKey.json()).toEqual({ ...byId.json(), error: {
      ...(byId.json() as ErrorBody).error, requestId: expect.any(String) } });
    const moved = await post(`/api/v1/records/${INSTANCE_ID}/transition`, ACTIONS[3]![1]);
    expect(moved.statusCode, moved.body).toBe(200);
    const result = moved.json() as { record: { id: string; lifecycle: string } };
    expect(result.record).toMatchObject({ id: webId, lifecycle: 'maintenance' });
  });
});

describe('the OpenAPI document', () => {
  it('says how every sub-resource route reads its reference and what 409 means', async () => {
    const doc = await h.getJson<{
      paths: Record<string, Record<string, { description?: string; responses: object }>>;
    }>('/api/v1/openapi.json');
    const parts = [...READS.map((p) => ['get', p]), ...ACTIONS.map(([a]) => ['post', a])];
    for (const [method, part] of parts) {
      const op = doc.paths[`/api/v1/records/{ref}/${part}`]![method!]!;
      expect(op.description, part).toContain('`type:value` key');
      expect(op.description, part).toContain('AMBIGUOUS_KEY');
      expect(op.responses, part).toHaveProperty('409');
      expect(op.responses, part).toHaveProperty('404');
    }
  });
});
