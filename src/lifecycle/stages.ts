import type { Admission, LifecycleStage } from '../model/types.js';
import { ADMISSIONS, LIFECYCLE_STAGES } from '../model/types.js';

/**
 * The lifecycle state machine (DESIGN.md, "lifecycle stage"). A thing is planned, built,
 * used, maintained, taken down and retired; retired is final. A planned or half-built thing
 * may be cancelled straight to retired; a decommission may be called off.
 */
const NEXT: Readonly<Record<LifecycleStage, readonly LifecycleStage[]>> = {
  planned: ['provisioning', 'in-service', 'retired'],
  provisioning: ['in-service', 'decommissioning', 'retired'],
  'in-service': ['maintenance', 'decommissioning', 'retired'],
  maintenance: ['in-service', 'decommissioning', 'retired'],
  decommissioning: ['retired', 'in-service'],
  retired: [],
};

/** Admission moves: an operator or a system of record admits, rejects or retires. */
const ADMISSION_NEXT: Readonly<Record<Admission, readonly Admission[]>> = {
  unknown: ['approved', 'retired'],
  approved: ['retired'],
  retired: [],
};

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function isLifecycleStage(v: unknown): v is LifecycleStage {
  return typeof v === 'string' && (LIFECYCLE_STAGES as readonly string[]).includes(v);
}

export function isAdmission(v: unknown): v is Admission {
  return typeof v === 'string' && (ADMISSIONS as readonly string[]).includes(v);
}

/**
 * Whether a lifecycle move is allowed. A thing with no stage yet may enter any stage; staying
 * put is not a move.
 *
 * @example checkLifecycle('retired', 'in-service') // { ok: false, reason: 'retired is final …' }
 */
export function checkLifecycle(from: LifecycleStage | null, to: LifecycleStage): TransitionCheck {
  if (from === null) return { ok: true };
  if (from === to) return { ok: false, reason: `it is already ${to}` };
  if (NEXT[from].includes(to)) return { ok: true };
  if (from === 'retired') {
    return { ok: false, reason: 'retired is final; a returning thing is admitted as a new one' };
  }
  const allowed = NEXT[from].join(', ');
  return { ok: false, reason: `${from} may move only to ${allowed}, not to ${to}` };
}

export function checkAdmission(from: Admission, to: Admission): TransitionCheck {
  if (from === to) return { ok: false, reason: `it is already ${to}` };
  if (ADMISSION_NEXT[from].includes(to)) return { ok: true };
  return { ok: false, reason: `admission ${from} may not become ${to}` };
}

/** Stages from which nothing should keep working: offboarding starts here. */
export function isLeaving(stage: LifecycleStage | null, admission?: Admission): boolean {
  return stage === 'decommissioning' || stage === 'retired' || admission === 'retired';
}
