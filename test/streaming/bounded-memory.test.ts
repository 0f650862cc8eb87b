import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entraFormat } from '../../src/sources/entra/index.js';
import { gcpAssetInventoryFormat } from '../../src/sources/gcp/index.js';
import { fileInput } from '../../src/sources/read-file.js';

const dir = mkdtempSync(join(tmpdir(), 'roster-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAD = 'x'.repeat(600);

async function write(path: string, parts: Iterable<string>): Promise<number> {
  const out = createWriteStream(path);
  for (const part of parts) if (!out.write(part)) await once(out, 'drain');
  out.end();
  await once(out, 'close');
  return statSync(path).size;
}

function* servicePrincipals(n: number): Generator<string> {
  const context = 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals';
  yield `{"@odata.context":"${context}","value":[`;
  for (let i = 0; i < n; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const sp = {
      id,
      appId: id,
      displayName: `sp ${i}`,
      servicePrincipalType: 'Application',
      passwordCredentials: [{ keyId: id, endDateTime: '2030-01-01T00:00:00Z' }],
      notes: PAD,
    };
    yield `${i ? ',' : ''}${JSON.stringify(sp)}`;
  }
  yield ']}';
}

/** Runs a parse, sampling the heap; returns counts and the largest heap growth seen. */
async function measure(events: AsyncIterable<{ type: string }>): Promise<{
  observations: number;
  progress: number;
  growth: number;
}> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let observations = 0;
  let progress = 0;
  let peak = 0;
  for await (const ev of events) {
    if (ev.type === 'observation') observations++;
    if (ev.type === 'progress') progress++;
    if (observations % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
  }
  return { observations, progress, growth: peak };
}

describe('streaming parsers keep memory bounded', () => {
  it('reads a 75 MB Graph list without holding it', async () => {
    const path = join(dir, 'sps.json');
    const size = await write(path, servicePrincipals(100_000));
    expect(size).toBeGreaterThan(75e6);
    const r = await measure(entraFormat.parse(fileInput(path), {}));
    expect(r.observations).toBe(200_000);
    expect(r.progress).toBeGreaterThan(60);
    // Read whole, the text and its objects would take about 170 MB of heap.
    expect(r.growth).toBeLessThan(96e6);
  });

  it('reads a 40 MB Cloud Asset Inventory export line by line', async () => {
    const path = join(dir, 'cai.jsonl');
    const parent = '//cloudresourcemanager.googleapis.com/projects/1';
    const lines = function* (): Generator<string> {
      for (let i = 0; i < 60_000; i++) {
        const name = `//storage.googleapis.com/bucket-${i}`;
        const data = { name: `bucket-${i}`, pad: PAD };
        const resource = { parent, data };
        const asset = { name, asset_type: 'storage.googleapis.com/Bucket', resource };
        yield `${JSON.stringify(asset)}\n`;
      }
    };
    const size = await write(path, lines());
    expect(size).toBeGreaterThan(40e6);
    const r = await measure(gcpAssetInventoryFormat.parse(fileInput(path), {}));
    expect(r.observations).toBe(60_000);
    expect(r.growth).toBeLessThan(96e6);
  });
});
