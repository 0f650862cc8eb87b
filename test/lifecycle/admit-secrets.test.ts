import { describe, expect, it } from 'vitest';
import { cli, type Cli } from './estate.js';

async function withEstate(): Promise<Cli> {
  const c = cli();
  const demo = await c.run('demo');
  if (demo.code !== 0) throw new Error(demo.err);
  return c;
}

const GH = ['ghp', 'aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'].join('_');
const K = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');

describe('lifecycle commands refuse a secret whole (tester report 3, defect 3)', () => {
  it('admit --file refuses the rows holding one, reports and counts them, exits 1', async () => {
    const c = await withEstate();
    const file = c.file('a.csv', 'key,owner,purpose,reason\n' +
      'bi-scratch-01,Bob,password=Hunter2Pass99,CAB\n' +
      `svc-legacy-sync,Carol,legacy sync,${GH}\n`);
    const r = await c.run('admit', '--file', file, '--by', 'alice');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`rejected: ${file}:line 2 field purpose: purpose looks like a ` +
      'password or secret assignment');
    expect(r.err).toContain(`rejected: ${file}:line 3 field reason: reason looks like a GitHub`);
    expect(r.out).toBe(`nothing admitted from ${file}`);
    expect(r.out + r.err).not.toMatch(/Hunter2|aBcDeF/);
    const owners = (await c.run('owners')).out;
    expect(owners).not.toMatch(/\bBob\b|\bCarol\b/);
    const queue = await c.json<{ name: string }[]>('admit');
    expect(queue.map((q) => q.name)).toEqual(expect.arrayContaining(['bi-scratch-01',
      'svc-legacy-sync']));
  });

  it('admit --file admits the good rows with their own reason; counts are true', async () => {
    const c = await withEstate();
    const file = c.file('a.csv', 'key,owner,purpose,reason\n' +
      'bi-scratch-01,Bob,BI experiments,CHG-7\n' +
      `svc-legacy-sync,Carol,legacy sync,${GH}\n`);
    const r = await c.run('admit', '--file', file, '--by', 'alice');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^admitted 1 of 2 row\(s\)/);
    const runs = await c.json<{ format: string; counts: { rejected: number } }[]>('runs');
    expect(runs.find((x) => x.format === 'roster-admission')?.counts.rejected).toBe(0);
    const shown = await c.json<{ attributes: Record<string, { value: unknown }> }[]>('show',
      'bi-scratch-01');
    expect(shown[0]?.attributes['roster.reason']?.value).toBe('CHG-7');
    expect((await c.run('owners')).out).not.toMatch(/\bCarol\b/);
  });

  it('admit --purpose and reject --reason holding one: refused, nothing recorded', async () => {
    const c = await withEstate();
    const admit = await c.run('admit', 'bi-scratch-01', '--owner', 'Bob', '--purpose',
      `AWSSecretKey=${K}`, '--by', 'alice');
    expect(admit.code).toBe(1);
    expect(admit.err).toMatch(/^error: purpose looks like an AWS secret access key; .*nothing is/);
    const reject = await c.run('reject', 'svc-legacy-sync', '--reason',
      '-----BEGIN PGP PRIVATE KEY BLOCK----- lQOYBF0abc', '--by', 'alice');
    expect(reject.code).toBe(1);
    expect(reject.err).toMatch(/^error: reason looks like a private key/);
    const out = [admit, reject].map((x) => x.out + x.err).join('');
    expect(out).not.toMatch(/EXAMPLEKEY|lQOYBF0abc/);
    expect((await c.run('owners')).out).not.toMatch(/\bBob\b/);
    const queue = await c.json<{ name: string }[]>('admit');
    expect(queue.map((q) => q.name)).toEqual(expect.arrayContaining(['bi-scratch-01',
      'svc-legacy-sync']));
  });
});
