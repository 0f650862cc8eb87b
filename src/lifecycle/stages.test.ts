import { describe, expect, it } from 'vitest';
import { checkAdmission, checkLifecycle, isLeaving } from './stages.js';

describe('lifecycle state machine', () => {
  it('allows the usual path from planned to retired', () => {
    const path = ['planned', 'provisioning', 'in-service', 'maintenance', 'in-service',
      'decommissioning', 'retired'] as const;
    for (let i = 1; i < path.length; i++) {
      const [from, to] = [path[i - 1]!, path[i]!];
      expect(checkLifecycle(from, to), `${from} → ${to}`).toEqual({ ok: true });
    }
  });

  it('refuses to leave retired, and says why', () => {
    expect(checkLifecycle('retired', 'in-service')).toEqual({
      ok: false,
      reason: 'retired is final; a returning thing is admitted as a new one',
    });
  });

  it('refuses going back to planned and names the allowed moves', () => {
    expect(checkLifecycle('in-service', 'planned')).toEqual({
      ok: false,
      reason: 'in-service may move only to maintenance, decommissioning, retired, not to planned',
    });
    expect(checkLifecycle('in-service', 'in-service')).toMatchObject({ ok: false });
  });

  it('lets a thing with no stage enter any stage, and call off a decommission', () => {
    expect(checkLifecycle(null, 'maintenance')).toEqual({ ok: true });
    expect(checkLifecycle('decommissioning', 'in-service')).toEqual({ ok: true });
  });

  it('admits or rejects unknown things; retired admission is final', () => {
    expect(checkAdmission('unknown', 'approved')).toEqual({ ok: true });
    expect(checkAdmission('unknown', 'retired')).toEqual({ ok: true });
    expect(checkAdmission('approved', 'unknown')).toMatchObject({ ok: false });
    expect(checkAdmission('retired', 'approved')).toEqual({
      ok: false,
      reason: 'admission retired may not become approved',
    });
  });

  it('knows which states start offboarding', () => {
    expect(isLeaving('decommissioning')).toBe(true);
    expect(isLeaving('retired')).toBe(true);
    expect(isLeaving('in-service', 'retired')).toBe(true);
    expect(isLeaving('maintenance', 'approved')).toBe(false);
    expect(isLeaving(null)).toBe(false);
  });
});
