/**
 * Facts that two exports of the synthetic estate must agree on (or, for a few records,
 * disagree on, so that reconciliation and judging have work): names and ARNs of IAM users, the
 * CMDB's environment and status of a server against the tags and state EC2 reports.
 */
import { dice, hasCmdbRow, isServiceUser, personOf, placeOf, accountId } from './estate-plan.js';
import type { EstatePlan } from './estate-plan.js';

const ENVIRONMENTS = ['Production', 'Production', 'Staging', 'Test', 'Development'];

/** The environment the CMDB gives instance or server `i` (the EC2 tag usually agrees). */
export function cmdbEnvironment(i: number, salt: number): string {
  return ENVIRONMENTS[Math.floor(dice(i, salt) * ENVIRONMENTS.length)]!;
}

/** 3% of servers are retired in the CMDB (most of the cloud ones still run). */
export function isRetiredServer(i: number, salt: number): boolean {
  return dice(i, salt + 100) < 0.03;
}

export interface CloudFacts {
  readonly running: boolean;
  readonly tagEnvironment: string;
  readonly tagOwner: string | undefined;
}

/**
 * What EC2 says of instance `i`: 5% stopped; the Environment tag agrees with the CMDB except
 * for 5%; an Owner tag on half the instances the CMDB does not know, and on 3% of the others
 * naming someone else than the CMDB (a conflict to report).
 */
export function cloudServerFacts(plan: EstatePlan, i: number): CloudFacts {
  const inCmdb = hasCmdbRow(i);
  const running = dice(i, 1001) >= 0.05;
  const disagree = !inCmdb || dice(i, 1002) < 0.05;
  const env = cmdbEnvironment(i, disagree ? 1003 : 1);
  const ownerTagged = inCmdb ? dice(i, 1004) < 0.03 : dice(i, 1004) < 0.5;
  return {
    running,
    tagEnvironment: env.toLowerCase(),
    tagOwner: ownerTagged ? personOf(plan, i, 1005).email : undefined,
  };
}

export function userName(plan: EstatePlan, u: number): string {
  if (isServiceUser(u)) return `svc-${String(u).padStart(7, '0')}`;
  const { email } = personOf(plan, u, 601);
  return `${email.split('@')[0]!}.${u}`;
}

export function userArn(plan: EstatePlan, u: number): string {
  return `arn:aws:iam::${accountId(placeOf(plan, u).account)}:user/${userName(plan, u)}`;
}
