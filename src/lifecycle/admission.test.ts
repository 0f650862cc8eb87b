import { describe, expect, it } from 'vitest';
import { record } from '../../test/helpers/records.js';
import { awaitsAdmission, readAdmissionFile } from './admission.js';

describe('admission', () => {
  it('queues what a source sees and no system of record admitted', () => {
    const instance = { type: 'aws-instance-id', value: 'i-0aaa1111bbbb2222c' } as const;
    const seen = record('ast_1', 'asset', [instance], { name: 'scratch' });
    expect(awaitsAdmission(seen)).toBe(true);
    const rejected = record('ast_2', 'asset', [], { name: 'x', lifecycle: 'decommissioning' });
    expect(awaitsAdmission(rejected)).toBe(false);
    const cred = record('crd_1', 'credential', [], { name: 'k' });
    expect(awaitsAdmission(cred)).toBe(false);
  });

  it('reads a CSV file, reporting each bad row with its line and field', () => {
    const text = 'Key,Owner,Purpose,Reason\n' +
      'i-0aaa1111bbbb2222c,Petra Lind,BI experiments,CHG-1\n' +
      'i-0ccc3333dddd4444e,,batch jobs,\n' +
      'svc-x,Team A,"sync, nightly",\n';
    const { rows, rejections } = readAdmissionFile('admit.csv', text);
    expect(rows).toEqual([
      { line: 2, key: 'i-0aaa1111bbbb2222c', owner: 'Petra Lind', purpose: 'BI experiments',
        reason: 'CHG-1' },
      { line: 4, key: 'svc-x', owner: 'Team A', purpose: 'sync, nightly' },
    ]);
    expect(rejections).toEqual([{ file: 'admit.csv', line: 3, field: 'owner', code: 'MISSING_VALUE',
      message: 'no owner: admission needs a key, an owner and a purpose' }]);
  });

  it('reads a YAML list, and refuses a document that is not one', () => {
    const yaml = '- {key: web-1, owner: alice, purpose: web}\n- {key: x}\n';
    const ok = readAdmissionFile('admit.yaml', yaml);
    expect(ok.rows).toEqual([{ line: 1, key: 'web-1', owner: 'alice', purpose: 'web' }]);
    expect(ok.rejections.map((r) => [r.line, r.field])).toEqual([[2, 'owner']]);
    const notList = readAdmissionFile('a.yaml', 'key: x');
    expect(notList.rejections[0]).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('refuses a row with a secret in any cell whole, naming its line and field', () => {
    const gh = ['ghp', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'].join('_');
    const text = 'key,owner,purpose,reason\n' +
      'bi-scratch-01,Bob,password=Hunter2Pass99,CAB\n' +
      `svc-legacy-sync,Carol,legacy sync,${gh}\n` +
      'web-1,Dana,web,CHG-2\n';
    const { rows, rejections } = readAdmissionFile('a.csv', text);
    expect(rows.map((r) => r.key)).toEqual(['web-1']);
    expect(rejections.map((r) => [r.line, r.field, r.code])).toEqual([
      [2, 'purpose', 'SECRET_VALUE'], [3, 'reason', 'SECRET_VALUE']]);
    expect(rejections[1]?.message).toBe('reason looks like a GitHub token; Roster never ' +
      'stores secret values, the row is refused');
    expect(JSON.stringify(rejections)).not.toMatch(/Hunter2|aBcDeF/);
  });
});
