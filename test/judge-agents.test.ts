import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_JUDGE_CONFIG } from '../src/judge/config.js';
import type { Finding } from '../src/judge/finding.js';
import { judgeStore } from '../src/judge/judge-store.js';
import { fixedClock } from '../src/model/time.js';
import type { Observation, Relation } from '../src/model/types.js';
import { ingest } from '../src/reconcile/ingest.js';
import { DEFAULT_PRECEDENCE } from '../src/reconcile/rules.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { fakeFormat, fakeInput } from './helpers/fake-format.js';

/**
 * A SPIRE agent is software on a host: it is admitted and owned with the instance or node its
 * attestation names (`hosted-on`), and flagged on its own only when that host is not known.
 */
const NOW = '2026-12-01T00:00:00.000Z';
const cmdb = fakeFormat('fake-cmdb', 'cmdb', true);
const cloud = fakeFormat('fake-cloud', 'aws', false);
const spire = fakeFormat('spire-agents', 'spire', false);

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore({ path: ':memory:' });
  await store.migrate();
});
afterEach(() => store.close());

async function load(format: ReturnType<typeof fakeFormat>, observations: Observation[]) {
  const input = fakeInput({ meta: { asOf: '2026-11-30T00:00:00Z' }, observations });
  await ingest(store, format, input, { rules: DEFAULT_PRECEDENCE, clock: fixedClock(NOW) });
}

const instance = (id: string, attributes: Observation['attributes']): Observation => ({
  kind: 'asset', sourceId: id, scope: 's', keys: [{ type: 'aws-instance-id', value: id }],
  attributes: { name: id, ...attributes },
});
const onInstance = (id: string): Relation =>
  ({ type: 'hosted-on', target: { type: 'aws-instance-id', value: id } });
const agent = (name: string, relations: Relation[], extra: Observation['attributes'] = {}) => {
  const spiffeId = `spiffe://td/spire/agent/${name}`;
  const o: Observation = {
    kind: 'asset', sourceId: spiffeId, scope: 'spire:td',
    keys: [{ type: 'spiffe-id', value: spiffeId }],
    attributes: { name: spiffeId, class: 'spire-agent', runState: 'running', ...extra },
    relations,
  };
  return o;
};

const findingsOf = (fs: Finding[], name: string) =>
  fs.filter((f) => f.subject.name === `spiffe://td/spire/agent/${name}`);

describe('judging SPIRE agents by the host they run on', () => {
  beforeEach(async () => {
    await load(cmdb, [instance('i-0000000a', { owner: 'Platform Team', admission: 'approved' })]);
    await load(cloud, [instance('i-0000000a', {}), instance('i-0000000b', {})]);
    await load(spire, [
      agent('on-admitted', [onInstance('i-0000000a')]),
      agent('on-unadmitted', [onInstance('i-0000000b')]),
      agent('on-unknown-host', [onInstance('i-0000000f')]),
      agent('nowhere', []),
    ]);
  });

  it('takes admission and owner from an admitted, owned host: no finding of its own', async () => {
    const fs = await judgeStore(store, DEFAULT_JUDGE_CONFIG, NOW);
    expect(findingsOf(fs, 'on-admitted')).toEqual([]);
    // The host itself is admitted and owned, so nothing is hidden.
    expect(fs.filter((f) => f.subject.name === 'i-0000000a')).toEqual([]);
  });

  it('flags an agent whose host nobody admitted or owns, naming the host', async () => {
    const fs = await judgeStore(store, DEFAULT_JUDGE_CONFIG, NOW);
    const mine = findingsOf(fs, 'on-unadmitted');
    expect(mine.map((f) => f.kind).sort()).toEqual(['unknown-asset', 'unowned-asset']);
    const unknown = mine.find((f) => f.kind === 'unknown-asset')!;
    expect(unknown.message).toBe('spiffe://td/spire/agent/on-unadmitted is seen by spire-agents ' +
      'but no system of record has admitted it, nor the host it runs on (i-0000000b)');
    expect(unknown.evidence).toContainEqual(expect.objectContaining({
      source: 'roster', field: 'host.admission', value: 'unknown',
    }));
    expect(fs.filter((f) => f.subject.name === 'i-0000000b').map((f) => f.kind).sort())
      .toEqual(['unknown-asset', 'unowned-asset']);
  });

  it('still flags an agent whose host is not in the inventory, or that names none', async () => {
    const fs = await judgeStore(store, DEFAULT_JUDGE_CONFIG, NOW);
    for (const name of ['on-unknown-host', 'nowhere']) {
      const mine = findingsOf(fs, name);
      expect(mine.map((f) => f.kind).sort(), name).toEqual(['unknown-asset', 'unowned-asset']);
      expect(mine.find((f) => f.kind === 'unknown-asset')!.message).toBe(
        `spiffe://td/spire/agent/${name} is seen by spire-agents but no system of record ` +
        'has admitted it');
    }
  });
});
