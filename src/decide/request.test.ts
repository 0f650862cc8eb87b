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
});
