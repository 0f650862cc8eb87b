import { describe, expect, it } from 'vitest';
import { fleetHostsFormat, osqueryFormat } from '../../src/sources/osquery/index.js';
import { fileInput } from '../../src/sources/read-file.js';
import { detectFormat } from '../../src/sources/registry.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile } from '../helpers/parse.js';

const DIR = 'osquery-fleet';
const file = (name: string): string => corpusPath(DIR, name);

describe.skipIf(!hasCorpus)('osquery and fleet-hosts over the corpus', () => {
  it('sends osquery logs to osquery and Fleet output to fleet-hosts, all ingested', async () => {
    const files = corpusFiles(DIR);
    expect(files.length).toBe(6);
    for (const path of files) {
      const format = path.includes('/osquery-docs_') ? osqueryFormat : fleetHostsFormat;
      expect(detectFormat(fileInput(path)).name).toBe(format.name);
      const p = await parseFile(format, path);
      expect(p.rejections).toEqual([]);
      expect(p.observations.filter((o) => o.kind === 'asset')).toHaveLength(1);
    }
  });

  it('sees hostname.local from the documented event, batch and snapshot results', async () => {
    const added = await parseFile(osqueryFormat, file('osquery-docs_results_event_added.json'));
    const host = added.observations[0]!;
    expect(host.sourceId).toBe('host:hostname.local');
    expect(host.keys).toEqual([{ type: 'hostname', value: 'hostname.local' }]);
    expect(host.attributes.lastSeenAt).toBe('2014-10-01T00:37:30.000Z');
    const removed = await parseFile(osqueryFormat, file('osquery-docs_results_event_removed.json'));
    expect(removed.observations[0]!.keys).toEqual(host.keys);
    const snap = await parseFile(osqueryFormat, file('osquery-docs_results_snapshot.json'));
    expect(snap.observations[0]!.attributes.lastSeenAt).toBe('2016-05-02T22:27:32.000Z');
    expect(snap.warnings.map((w) => w.code)).toEqual(['QUERY_NOT_INVENTORY']);
    const batch = await parseFile(osqueryFormat, file('osquery-docs_results_batch.json'));
    expect(batch.meta).toMatchObject({ complete: false, asOf: '2014-10-01T00:37:30.000Z' });
  });

  it('reads the documented Fleet hosts list: uuid, platform, offline, no serial', async () => {
    const p = await parseFile(fleetHostsFormat, file('fleet-docs_list-hosts_example.json'));
    const host = p.observations[0]!;
    expect(host.sourceId).toBe('host:1');
    expect(host.keys).toEqual([
      { type: 'hardware-uuid', value: '392547dc-0000-0000-a87a-d701ff75bc65' },
      { type: 'hostname', value: '2ceca32fe484' },
    ]);
    expect(host.attributes).toMatchObject({
      platform: 'centos',
      os: 'CentOS Linux 7',
      'fleet.status': 'offline',
      lastSeenAt: '2020-11-05T06:03:39.000Z',
    });
    expect(host.attributes.owner).toBeUndefined();
    expect(p.meta.complete).toBe(true);
  });

  it('reads the fleetctl host detail: 0001-01-01 times are no time', async () => {
    const detail = file('fleetctl_expectedHostDetailResponseJson.json');
    const p = await parseFile(fleetHostsFormat, detail);
    const host = p.observations[0]!;
    expect(host.keys).toEqual([{ type: 'hostname', value: 'test_host' }]);
    expect(host.attributes.lastSeenAt).toBeUndefined();
    expect(host.attributes.name).toBe('test_host');
    expect(p.meta.complete).toBe(false);
  });
});
