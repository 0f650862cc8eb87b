import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../helpers/cli.js';

const AT = ['--as-of', '2026-12-01T12:00:00Z'];
const ALLOW = 'examples/decide/backup-reads-print-server.json';
const RETIRED = 'examples/decide/retired-host-reads-backup.json';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'roster-decide-cli-'));
  db = join(dir, 'roster.db');
  expect((await roster('--db', db, 'demo')).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));

const file = (name: string, text: string): string => {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};

describe('roster decide', () => {
  it('prints an allow with its explanation and exits 0', async () => {
    const r = await roster('--db', db, 'decide', ALLOW, ...AT);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('ALLOW  host backup-01  read  host print-srv-01');
    expect(r.out).toMatch(/allowed by allow-sufficient-trust-tier/);
    expect(r.out).toMatch(/backup-01 was last seen 1 day\(s\) ago by aws/);
  });

  it('exits 3 on a deny and names the reasons', async () => {
    const r = await roster('--db', db, 'decide', RETIRED, ...AT);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^DENY {2}host i-0d4e5f60718293a41/);
    expect(r.out).toMatch(/subject-retired +the subject is retired or being decommissioned/);
    expect(r.out).toMatch(/report-gen-02 has admission retired per cmdb/);
  });

  it('decides a request with an empty evaluations array as one (AuthZEN 7.1)', async () => {
    const req = JSON.parse(readFileSync(RETIRED, 'utf8')) as object;
    const empty = file('empty-batch.json', JSON.stringify({ ...req, evaluations: [] }));
    const r = await roster('--db', db, 'decide', empty, ...AT, '-o', 'json');
    expect(r.code, r.err).toBe(3); // a deny, as for the request without the empty batch
    expect((JSON.parse(r.out) as { decision: boolean }).decision).toBe(false);
  });

  it('prints the AuthZEN response with -o json', async () => {
    const r = await roster('--db', db, 'decide', RETIRED, ...AT, '-o', 'json');
    const body = JSON.parse(r.out) as
      { decision: boolean; context: { id: string; reasons: string[] } };
    expect(body.decision).toBe(false);
    expect(body.context.reasons).toEqual(['subject-retired', 'trust-tier-too-low']);
    expect(body.context.id).toMatch(/^[0-9A-Z]{26}$/);
  });

  it('exits 2 naming the problem of a malformed request', async () => {
    const bad = file('bad.json', '{"subject":{"type":"host"},"action":{"name":"read"},' +
      '"resource":{"type":"host","id":"backup-01"}}');
    const r = await roster('--db', db, 'decide', bad);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.json: not an AuthZEN evaluation request: subject\.id/);
    const notJson = await roster('--db', db, 'decide', file('nj.json', '{subject'));
    expect(notJson.code).toBe(2);
    expect(notJson.err).toMatch(/nj\.json: not JSON/);
    const batch = await roster('--db', db, 'decide', file('b.json', '{"evaluations":[{}]}'));
    expect(batch.code).toBe(2);
    expect(batch.err).toMatch(/b\.json: holds an evaluations batch/);
    // Without defaults, an empty batch is not a request either (it is one evaluation).
    const none = await roster('--db', db, 'decide', file('e.json', '{"evaluations":[]}'));
    expect(none.err).toMatch(/e\.json: not an AuthZEN evaluation request: subject/);
    for (const value of ['{}', 'null']) {
      const odd = await roster('--db', db, 'decide', file('o.json', `{"evaluations":${value}}`));
      expect(odd.code).toBe(2);
      expect(odd.err).toMatch(/o\.json: evaluations: not a list/);
    }
    expect((await roster('--db', db, 'decide', join(dir, 'missing.json'))).code).toBe(2);
  });
});

describe('roster decisions', () => {
  it('lists the logged decisions, newest first, filtered', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'roster-decisions-'));
    const fdb = join(fresh, 'roster.db');
    try {
      await roster('--db', fdb, 'demo');
      // Decision ids sort by decision time: give the two their own instants.
      await roster('--db', fdb, 'decide', ALLOW, ...AT);
      await roster('--db', fdb, 'decide', RETIRED, '--as-of', '2026-12-01T12:00:01Z');
      await roster('--db', fdb, 'decide', ALLOW, ...AT, '--no-log');
      const all = JSON.parse((await roster('--db', fdb, 'decisions', '-o', 'json')).out) as
        { id: string; decision: boolean; subject: { id: string; recordId: string };
          reasons: { code: string }[] }[];
      expect(all.map((d) => d.decision)).toEqual([false, true]);
      expect(all[0]!.id > all[1]!.id).toBe(true);
      expect(all[0]!.reasons.map((x) => x.code)).toEqual(['subject-retired', 'trust-tier-too-low']);
      const denied = JSON.parse((await roster('--db', fdb, 'decisions', '--decision', 'deny',
        '-o', 'json')).out) as { subject: { id: string } }[];
      expect(denied.map((d) => d.subject.id)).toEqual(['i-0d4e5f60718293a41']);
      const bySubject = await roster('--db', fdb, 'decisions', '--subject', 'backup-01');
      expect(bySubject.out.split('\n')).toHaveLength(2);
      expect(bySubject.out).toMatch(/allow +host backup-01 +read +host print-srv-01 +allowed/);
      const retired = all[0]!.subject;
      const byRecord = JSON.parse((await roster('--db', fdb, 'decisions', '--record',
        retired.recordId, '-o', 'json')).out) as unknown[];
      expect(byRecord).toHaveLength(1);
      const one = await roster('--db', fdb, 'decisions', '--limit', '1', '-o', 'json');
      expect(JSON.parse(one.out)).toHaveLength(1);
      const bad = await roster('--db', fdb, 'decisions', '--decision', 'maybe');
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/--decision must be allow or deny/);
    } finally {
      rmSync(fresh, { recursive: true, force: true, maxRetries: 5 });
    }
  });
});

describe('roster policy validate', () => {
  it('accepts the default set and a good addition', async () => {
    const r = await roster('policy', 'validate');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok: 14 policies in policies\/default\.cedar/);
    const extra = file('good/extra.cedar', '@id("no-writes-to-critical")\n' +
      'forbid (principal, action == Roster::Action::"write", resource)\n' +
      'when { resource has criticality && resource.criticality == "critical" };\n');
    const ok = await roster('policy', 'validate', '--policies', join(extra, '..'));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^ok: 15 policies/);
  });

  it('refuses a bad set, naming file and line of every problem', async () => {
    const bad = file('bad/typo.cedar',
      '// a typo\n\n@id("typo")\npermit (principal, action, resource)\n' +
      'when {\n  principal.trustLevel >= 2\n};\n');
    const r = await roster('policy', 'validate', '--policies', join(bad, '..'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}:6: for policy \`typo\`, attribute \`trustLevel\``);
    expect(r.err).toMatch(/1 problem\(s\): the policy set is refused$/);
    const broken = file('broken/x.cedar',
      'permit (principal, action, resource)\nwhen { resource. };\n');
    const p = await roster('policy', 'validate', '--policies', join(broken, '..'));
    expect(p.code).toBe(1);
    expect(p.err).toContain(`${broken}:2: failed to parse policies`);
  });
});

describe('roster policy test', () => {
  it('passes every case of the shipped example against the example estate', async () => {
    const cases = 'examples/policy-tests/example-estate.yaml';
    const r = await roster('--db', db, 'policy', 'test', cases);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.filter((l) => l.startsWith('PASS'))).toHaveLength(12);
    expect(lines.at(-1)).toBe('12 passed, 0 failed');
  });

  it('fails a case whose outcome or reason differs, and exits 1', async () => {
    const cases = file('cases.yaml', [
      'at: 2026-12-01T12:00:00Z',
      'cases:',
      '  - request: { subject: { type: host, id: backup-01 }, action: { name: read },',
      '               resource: { type: host, id: print-srv-01 } }',
      '    expect: allow',
      '  - name: wrong reason',
      '    request: { subject: { type: host, id: report-gen-02 }, action: { name: read },',
      '               resource: { type: host, id: backup-01 } }',
      '    expect: deny',
      '    reason: subject-stale',
    ].join('\n'));
    const r = await roster('--db', db, 'policy', 'test', cases);
    expect(r.code).toBe(1);
    expect(r.out).toContain('PASS  backup-01 read print-srv-01');
    expect(r.out).toContain('FAIL  wrong reason: expected deny (subject-stale), got deny ' +
      '(subject-retired, trust-tier-too-low)');
    expect(r.out.split('\n').at(-1)).toBe('1 passed, 1 failed');
  });

  it('refuses a case file with a bad case, naming file, line and field', async () => {
    const cases = file('bad-cases.yaml', [
      'cases:',
      '  - request: { subject: { type: host, id: backup-01 }, action: { name: read },',
      '               resource: { type: host, id: print-srv-01 } }',
      '    expect: allow',
      '  - request:',
      '      subject: { type: host }',
      '      action: { name: read }',
      '      resource: { type: host, id: backup-01 }',
      '    expect: deny',
    ].join('\n'));
    const r = await roster('--db', db, 'policy', 'test', cases);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${cases}:6: cases.1.request.subject.id:`);
    const typo = file('typo-cases.yaml', 'cases:\n  - request: {}\n    expected: allow\n');
    const t = await roster('--db', db, 'policy', 'test', typo);
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/typo-cases\.yaml:2: .*expect/);
  });
});
