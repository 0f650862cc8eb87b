import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OLD_SYS_ID, SHARED_IP } from '../helpers/shared-ip.js';
import { startHarness, uploadSharedIp, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await uploadSharedIp(h);
});
afterAll(() => h.close());

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

async function get(url: string) {
  return h.rs.server.inject({ url, headers: h.auth('read') });
}

describe('GET /records/{ref}, a key several records hold', () => {
  it('answers 409 AMBIGUOUS_KEY with every record and the key it holds, not one', async () => {
    for (const url of [`/api/v1/records/${SHARED_IP}`, `/api/v1/assets/ip:${SHARED_IP}`]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(409);
      const body = r.json() as ErrorBody;
      expect(body.error.code).toBe('AMBIGUOUS_KEY');
      expect(body.error.message).toBe('2 records match this reference; use a record id');
      expect(body.error.details?.['count']).toBe(2);
      const candidates = body.error.details?.['candidates'] as {
        id: string; kind: string; name: string; keys: unknown[];
      }[];
      expect(candidates.map((c) => [c.kind, c.name])).toEqual([
        ['asset', 'web-old-01'], ['asset', 'web-prod-01']]);
      for (const c of candidates) expect(c.keys).toEqual([{ type: 'ip', value: SHARED_IP }]);
      // Each candidate's id gets that one record.
      for (const c of candidates) {
        expect((await h.getJson<{ id: string }>(`/api/v1/records/${c.id}`)).id).toBe(c.id);
      }
    }
  });

  it('gets the one record a unique strong key names, as before', async () => {
    const old = await h.getJson<{ name: string }>(`/api/v1/records/${OLD_SYS_ID}`);
    expect(old.name).toBe('web-old-01');
    const web = await h.getJson<{ name: string }>('/api/v1/assets/i-0a1b2c3d4e5f60718');
    expect(web.name).toBe('web-prod-01');
  });

  it('answers 404 NOT_FOUND for a key no record holds', async () => {
    const r = await get('/api/v1/records/10.99.99.99');
    expect(r.statusCode).toBe(404);
    expect((r.json() as ErrorBody).error).toMatchObject({
      code: 'NOT_FOUND', message: 'no record matches this reference' });
  });

  it('says so in the OpenAPI document', async () => {
    const doc = await h.getJson<{
      paths: Record<string, Record<string, { description?: string; responses: object }>>;
    }>('/api/v1/openapi.json');
    for (const path of ['/api/v1/records/{ref}', '/api/v1/assets/{ref}']) {
      const op = doc.paths[path]!['get']!;
      expect(op.description).toContain('AMBIGUOUS_KEY');
      expect(op.description).toContain('error.details.candidates');
      expect(op.responses).toHaveProperty('409');
    }
  });
});
