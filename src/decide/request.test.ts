import { describe, expect, it } from 'vitest';
import { evaluationSchema } from './request.js';

const request = (id: string) => ({ subject: { type: 'host', id }, action: { name: 'read' },
  resource: { type: 'host', id: 'db-1' } });

describe('an AuthZEN evaluation request', () => {
  it('names things by at most 1,024 characters, as inventory keys are', () => {
    expect(evaluationSchema.safeParse(request('h'.repeat(1024))).success).toBe(true);
    const long = evaluationSchema.safeParse(request('h'.repeat(1025)));
    expect(long.success).toBe(false);
    expect(long.error?.issues[0]?.path).toEqual(['subject', 'id']);
  });

  it('refuses a type, id or action name that holds a secret, without echoing it', () => {
    const secret = 'postgres://u:SUBJPGPASS1@h/db';
    const r = evaluationSchema.safeParse({ ...request('web-1'),
      resource: { type: 'host', id: secret } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['resource', 'id']);
    expect(r.error?.issues[0]?.message).toBe(
      'holds what looks like a secret (a token, password or key); Roster never stores one');
    expect(JSON.stringify(r.error?.issues)).not.toContain('SUBJPGPASS1');
    const action = evaluationSchema.safeParse({ ...request('web-1'),
      action: { name: 'Bearer ACTIONBEARER1234567890x' } });
    expect(action.error?.issues[0]?.path).toEqual(['action', 'name']);
    // Names that only look like credentials to the log's eager rule are names.
    for (const id of ['email:alice@corp.example', 'token service', 'user:bob@ldap.example']) {
      expect(evaluationSchema.safeParse(request(id)).success).toBe(true);
    }
  });
});
