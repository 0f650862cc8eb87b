import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roster-policy-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CASE = `  - name: retired host
    request:
      subject: { type: host, id: report-gen-02 }
      action: { name: read }
      resource: { type: host, id: backup-01 }
    expect: deny
`;

async function policyTest(text: string) {
  const file = join(dir, 'cases.yaml');
  writeFileSync(file, text);
  return { file, r: await roster('--db', join(dir, 'r.db'), 'policy', 'test', file) };
}

describe('roster policy test', () => {
  it('refuses a YAML alias bomb with exit 2, naming the file', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const { file, r } = await policyTest(`${levels.join('\n')}\ncases: []\n`);
    expect(r.code).toBe(2);
    expect(r.err).toContain(file);
    expect(r.err).toMatch(/alias/i);
  });

  it('refuses a reason that is no reason code, naming the case and the valid codes', async () => {
    const { file, r } = await policyTest(`cases:\n${CASE}    reason: subject-retird\n`);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}: cases.0 (retired host): reason 'subject-retird'`);
    expect(r.err).toMatch(/valid codes: .*subject-retired/);
    expect(r.err).toContain('no-permit');
  });

  it('takes every real reason code', async () => {
    const { r } = await policyTest(`cases:\n${CASE}    reason: subject-retired\n`);
    expect(r.err).not.toContain('not a reason code');
  });
});
