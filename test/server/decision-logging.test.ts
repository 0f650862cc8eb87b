import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/server/options.js';
import { request } from '../helpers/decide-estate.js';
import { startDecideServer, type DecideHarness } from '../decide/harness.js';

interface Line { level: number; reqId?: string; msg: string; req?: { path: string } }

const lines: Line[] = [];
let h: DecideHarness;
beforeAll(async () => {
  const stream = { write: (l: string) => void lines.push(JSON.parse(l) as Line) };
  h = await startDecideServer({ server: { logger: loggerOptions('info', stream) } });
});
afterAll(async () => h.close());

const WARN = 40;
const of = (id: string) => lines.filter((l) => l.reqId === id);

describe('logging on the decision routes', () => {
  it('writes no info lines for a decision (the decision log keeps it)', async () => {
    const res = await h.rs.server.inject({ method: 'POST', url: '/access/v1/evaluation',
      payload: request('web-1', 'db-1'), headers: { ...h.auth('decide'), 'x-request-id': 'd-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('d-1');
    const evals = await h.rs.server.inject({ method: 'POST', url: '/access/v1/evaluations',
      payload: { evaluations: [request('web-1', 'db-1')] },
      headers: { ...h.auth('decide'), 'x-request-id': 'd-2' } });
    expect(evals.statusCode).toBe(200);
    expect([...of('d-1'), ...of('d-2')]).toEqual([]);
  });

  it('logs a malformed or refused decision request at warn, with its request id', async () => {
    const bad = await h.rs.server.inject({ method: 'POST', url: '/access/v1/evaluation',
      payload: { subject: 'nobody' }, headers: { ...h.auth('decide'), 'x-request-id': 'd-3' } });
    expect(bad.statusCode).toBe(400);
    const refused = await h.rs.server.inject({ method: 'POST', url: '/access/v1/evaluation',
      payload: request('web-1', 'db-1'), headers: { ...h.auth('read'), 'x-request-id': 'd-4' } });
    expect(refused.statusCode).toBe(403);
    expect(of('d-3').map((l) => l.level)).toEqual([WARN]);
    expect(of('d-3')[0]!.msg).toMatch(/^not an AuthZEN evaluation request/);
    expect(of('d-4')).toMatchObject([
      { level: WARN, msg: "this needs a token with scope 'decide'" },
    ]);
  });

  it('keeps both info lines on the REST API', async () => {
    await h.rs.server.inject({ url: '/api/v1/summary',
      headers: { ...h.auth('read'), 'x-request-id': 'r-1' } });
    expect(of('r-1').map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  });
});
