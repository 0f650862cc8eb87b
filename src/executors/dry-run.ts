import { actionEvent, type CloudEvent } from '../lifecycle/cloudevents.js';
import type { OffboardingPlan } from '../lifecycle/plan-types.js';

/**
 * The default executor: nothing leaves Roster. Actions stay `planned`; this shows the
 * CloudEvents a webhook or command would receive, so that a plan can be reviewed before an
 * executor is switched on. A later run still confirms actions someone carried out by hand.
 */
export function dryRun(plan: OffboardingPlan, source: string): CloudEvent[] {
  return plan.actions
    .filter((a) => a.state !== 'confirmed')
    .map((a) => actionEvent(plan, a, source));
}
