import type { Decision } from '../../decide/decision.js';
import {
  describeIssues,
  mergeItem,
  type EvaluationRequest,
  type EvaluationsRequest,
} from '../../decide/request.js';
import type { DecideOptions } from '../../decide/service.js';
import { decisionAnswer, explainOf, type AuthzenDecision } from './answer.js';

export type { AuthzenDecision } from './answer.js';

/** What the evaluations endpoint needs of the decision point. */
export interface Decider {
  decide(req: EvaluationRequest, opts?: DecideOptions): Promise<Decision>;
}

/**
 * AuthZEN section 7 (Access Evaluations): each item is merged with the top-level defaults and
 * decided in request order. `deny_on_first_deny` stops after the first deny (an item in error
 * counts as one, "denial (error, or decision: false)"), `permit_on_first_permit` after the
 * first permit; the results are those decided so far, in order. An item that is not a valid
 * evaluation once merged is a deny whose context carries the error (section 7.2.1); it is
 * never a 400 for the whole batch.
 */
export async function evaluateAll(
  pdp: Decider,
  body: EvaluationsRequest,
  items: readonly Record<string, unknown>[],
  opts: DecideOptions,
): Promise<AuthzenDecision[]> {
  const semantic = body.options?.evaluations_semantic ?? 'execute_all';
  const out: AuthzenDecision[] = [];
  for (let i = 0; i < items.length; i++) {
    const merged = mergeItem(body, items[i]!);
    const result = merged.success
      ? decisionAnswer(await pdp.decide(merged.data, opts), explainOf(merged.data))
      : itemError(i, describeIssues(merged.error));
    out.push(result);
    if (semantic === 'deny_on_first_deny' && !result.decision) break;
    if (semantic === 'permit_on_first_permit' && result.decision) break;
  }
  return out;
}

function itemError(index: number, message: string): AuthzenDecision {
  return {
    decision: false,
    context: {
      reason: 'invalid-request',
      error: { status: 400, message: `evaluations[${index}]: ${message}` },
    },
  };
}
