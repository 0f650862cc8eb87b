import type { InventoryRecord } from '../model/record.js';
import { daysBetween } from '../model/time.js';
import type { JudgeConfig } from './config.js';
import { attrEvidence, flag, type FindingDraft, text } from './make.js';

const NON_HUMAN = new Set(['service', 'workload', 'role']);

/** A service identity whose console password is in use: a person is signing in as it (NHI10). */
export function humanUseOfNhi(
  r: InventoryRecord,
  config: JudgeConfig,
  now: string,
): FindingDraft | undefined {
  const type = text(r, 'identityType');
  if (!type || !NON_HUMAN.has(type)) return undefined;
  if (flag(r, 'passwordEnabled') !== true) return undefined;
  const used = text(r, 'passwordLastUsedAt');
  if (!used) return undefined;
  const ago = daysBetween(used, now);
  if (ago > config.humanUseDays) return undefined;
  return {
    kind: 'human-use-of-nhi',
    message: `${r.name} is a ${type} identity, yet its console password was used ${ago} days ago`,
    evidence: [
      ...attrEvidence(r, 'identityType'),
      ...attrEvidence(r, 'passwordEnabled'),
      ...attrEvidence(r, 'passwordLastUsedAt'),
    ],
  };
}
