import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ empty: true, server: { uploadLimit: 4 * 1024 * 1024 } });
});
afterAll(() => h.close());

describe('POST /api/v1/ingest with deeply nested JSON', () => {
  it('names the file and the depth limit instead of failing with an internal error', async () => {
    const levels = 100_000;
    const deep = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const doc = `{"Reservations":[{"OwnerId":"012345678901","Deep":${deep},"Instances":[]}]}`;
    const r = await h.rs.server.inject({
      method: 'POST',
      url: '/api/v1/ingest?filename=ec2-deep.json&format=aws-ec2-instances',
      headers: { ...h.auth('ingest'), 'content-type': 'application/json' },
      payload: doc,
    });
    const body = r.json() as { files: { error: unknown; rejections: unknown[] }[] };
    expect(r.statusCode, r.body.slice(0, 300)).toBe(201);
    expect(body.files[0]!.error).toBeNull();
    expect(body.files[0]!.rejections).toEqual([{ file: 'ec2-deep.json', code: 'BAD_INPUT',
      message: 'JSON nested deeper than 256 levels; nothing read' }]);
  });
});
