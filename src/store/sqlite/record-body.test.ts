import { describe, expect, it } from 'vitest';
import type { InventoryRecord } from '../../model/record.js';
import { decodeRecordBody, encodeRecordBody } from './record-body.js';

const cmdb = {
  source: 'cmdb',
  format: 'servicenow-cmdb',
  runId: 'run_a',
  asOf: '2026-12-01T06:00:00.000Z',
};
const aws = {
  source: 'aws',
  format: 'aws-ec2-instances',
  runId: 'run_b',
  asOf: '2026-12-01T07:00:00.000Z',
};

const body: Pick<InventoryRecord, 'keys' | 'attributes' | 'sightings' | 'keyConflicts'> = {
  keys: [{ type: 'aws-instance-id', value: 'i-0abc' }, { type: 'hostname', value: 'web-01' }],
  attributes: {
    owner: { value: 'Maria Okafor', ...cmdb, conflicts: [] },
    hostname: {
      value: 'ip-10-0-0-1.internal',
      ...aws,
      conflicts: [{ value: 'web-01', ...cmdb, field: 'host_name' }],
    },
    lifecycle: { value: 'retired', ...cmdb, field: 'install_status', conflicts: [] },
    tags: { value: ['a', 'b'], ...aws, conflicts: [] },
    cpus: { value: 4, ...aws, conflicts: [] },
  },
  sightings: [{ ...aws, scope: '048211339100', lastSeen: aws.asOf, discovered: true,
    status: 'present' }],
  keyConflicts: [],
};

describe('record body', () => {
  it('reads back exactly what it wrote: values, provenance, fields and conflicts', () => {
    expect(decodeRecordBody(encodeRecordBody(body))).toEqual(body);
  });

  it('writes each provenance once, so the body is much smaller than the plain form', () => {
    const text = encodeRecordBody(body);
    expect(JSON.parse(text).origins).toEqual([
      ['cmdb', 'servicenow-cmdb', 'run_a', '2026-12-01T06:00:00.000Z'],
      ['aws', 'aws-ec2-instances', 'run_b', '2026-12-01T07:00:00.000Z'],
    ]);
    expect(text.length).toBeLessThan(JSON.stringify(body).length * 0.75);
  });

  it('keeps key conflicts', () => {
    const keyConflicts = [{ keyType: 'serial', values: ['S1', 'S2'], recordIds: ['ast_1', 'ast_2'],
      source: 'cmdb', asOf: cmdb.asOf }];
    expect(decodeRecordBody(encodeRecordBody({ ...body, keyConflicts })).keyConflicts)
      .toEqual(keyConflicts);
  });

  it('still reads bodies written in the plain form, with or without key conflicts', () => {
    expect(decodeRecordBody(JSON.stringify(body))).toEqual(body);
    const { keyConflicts: _, ...old } = body;
    expect(decodeRecordBody(JSON.stringify(old)).keyConflicts).toEqual([]);
  });

  it('refuses a claim that points at no origin', () => {
    const bad = JSON.stringify({ v: 2, keys: [], origins: [], attributes: { a: ['x', 3] },
      sightings: [] });
    expect(() => decodeRecordBody(bad)).toThrow(/origin 3/);
  });
});
