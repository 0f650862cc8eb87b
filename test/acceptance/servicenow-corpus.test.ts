import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servicenowCmdb } from '../../src/sources/servicenow/index.js';
import { fileInput } from '../../src/sources/read-file.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile } from '../helpers/parse.js';

const FOLDER = 'cmdb-servicenow';
const RAPID7 = 'rapid7-docs_servicenow_get-ci_cmdb_ci_server.json';
const XSOAR = 'xsoar-docs_servicenow-cmdb_record-get-by-id_cmdb_ci_linux_server.json';

describe.skipIf(!hasCorpus)('servicenow-cmdb on the real corpus', () => {
  it('reads every file in the folder without a rejection, as a complete run', async () => {
    const files = corpusFiles(FOLDER);
    expect(files.map((f) => basename(f))).toEqual(expect.arrayContaining([RAPID7, XSOAR]));
    for (const file of files) {
      expect(servicenowCmdb.detect(fileInput(file)), file).toBeGreaterThan(0);
      const r = await parseFile(servicenowCmdb, file);
      expect(r.rejections, file).toEqual([]);
      expect(r.observations.length, file).toBeGreaterThan(0);
      expect(r.meta.complete, file).toBe(true);
    }
  });

  it('reads the Table API cmdb_ci_server record wrapped by the Rapid7 plugin', async () => {
    const r = await parseFile(servicenowCmdb, corpusPath(FOLDER, RAPID7));
    expect(r.observations).toHaveLength(1);
    const ci = r.observations[0]!;
    expect(ci).toMatchObject({
      kind: 'asset',
      sourceId: '375a6a55dbdef7002e12ff00ba9619d6',
      scope: 'servicenow:example/cmdb_ci_server',
    });
    expect(ci.keys).toEqual([
      { type: 'cmdb-sys-id', value: '375a6a55dbdef7002e12ff00ba9619d6' },
      { type: 'fqdn', value: 'fqdntest' },
      { type: 'ip', value: '10.0.0.1' },
      { type: 'mac', value: '23:43:24:23:43:42' },
      { type: 'name', value: 'test name' },
    ]);
    expect(ci.attributes).toMatchObject({
      name: 'TEST NAME',
      class: 'cmdb_ci_server',
      admission: 'approved',
      lifecycle: 'in-service',
      environment: 'production',
      location: 'US-East',
      'cmdb.install_status': 'Installed',
      'cmdb.operational_status': 'Operational',
      'cmdb.u_restricted_access': 'false',
      'cmdb.u_automated_patching': 'false',
      // Table API values are stored UTC date-times.
      lastSeenAt: '2019-03-24T11:25:56.000Z',
      createdAt: '2019-06-26T20:45:21.000Z',
    });
    // The record names no owned_by, managed_by or support group: no owner, no relation.
    expect(ci.attributes['owner']).toBeUndefined();
    expect(ci.relations).toBeUndefined();
    expect(r.warnings).toEqual([]);
  });

  it('reads the CMDB Instance API linux server with empty owners (XSOAR example)', async () => {
    const r = await parseFile(servicenowCmdb, corpusPath(FOLDER, XSOAR));
    expect(r.observations.map((o) => o.kind)).toEqual(['asset']);
    const ci = r.observations[0]!;
    expect(ci.sourceId).toBe('a8decc3f1b9c2410042611b4bd4bcb7d');
    expect(ci.scope).toBe('servicenow:ven03941/cmdb_ci_linux_server');
    // Serial, IP, FQDN and host name are empty in the record: only sys_id and name identify it.
    expect(ci.keys).toEqual([
      { type: 'cmdb-sys-id', value: 'a8decc3f1b9c2410042611b4bd4bcb7d' },
      { type: 'name', value: 'record for readme' },
    ]);
    expect(ci.attributes).toMatchObject({
      name: 'Record For README',
      class: 'cmdb_ci_linux_server',
      platform: 'linux',
      environment: 'production',
      lifecycle: 'in-service',
      'cmdb.discovery_source': 'ServiceNow',
      'cmdb.sys_domain': 'global',
      'cmdb.model_id': 'Unknown',
      createdAt: '2020-11-12T06:18:25.000Z',
    });
    expect(ci.attributes['owner']).toBeUndefined();
    expect(ci.relations).toBeUndefined();
    expect(r.meta.scopes).toEqual(['servicenow:ven03941/cmdb_ci_linux_server']);
  });
});
