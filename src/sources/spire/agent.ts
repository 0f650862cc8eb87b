import type { AttrValue, Observation, Relation, RunState } from '../../model/types.js';
import type { ParseEvent } from '../format.js';
import { warning } from '../streaming/events.js';
import { refPartProblem } from '../k8s/k8s-values.js';
import {
  epochSeconds,
  flag,
  selectorValue,
  selectorsOf,
  spireScope,
  str,
  trustDomainOf,
  type Obj,
} from './spire-values.js';

export interface AgentContext {
  readonly file: string;
  readonly line: number;
  /** The cluster named by the user; k8s_psat agents name their own in a selector. */
  readonly cluster?: string;
}

/**
 * An attested SPIRE agent (spire-api-sdk types.Agent) as an asset keyed by its SPIFFE ID,
 * and its current X509-SVID as a credential that names it.
 */
export function agentObservations(agent: Obj, spiffeId: string, ctx: AgentContext): ParseEvent[] {
  const events: ParseEvent[] = [];
  const selectors = selectorsOf(agent['selectors']);
  const serial = str(agent['x509svid_serial_number']);
  const expires = epochSeconds(agent['x509svid_expires_at']);
  if (expires.bad) {
    const field = 'x509svid_expires_at';
    events.push(warning(ctx.file, ctx.line, field, 'INVALID_VALUE', 'not epoch seconds'));
  }
  const banned = flag(agent['banned']) ?? false;
  // A banned agent cannot renew its SVID or attest again until an operator lifts the ban.
  const runState: RunState = banned ? 'stopped' : 'running';
  const attributes: Record<string, AttrValue> = {
    name: spiffeId,
    class: 'spire-agent',
    runState,
    banned,
    selectors,
  };
  if (expires.value !== undefined) attributes['svidExpiresAt'] = expires.value;
  if (serial !== undefined) attributes['spire.svidSerial'] = serial;
  const optional: [string, string][] = [
    ['attestation_type', 'spire.attestationType'],
    ['agent_version', 'spire.agentVersion'],
  ];
  for (const [field, attribute] of optional) {
    const v = str(agent[field]);
    if (v !== undefined) attributes[attribute] = v;
  }
  const canReattest = flag(agent['can_reattest']);
  if (canReattest !== undefined) attributes['spire.canReattest'] = canReattest;
  const scope = spireScope(trustDomainOf(spiffeId));
  const problems: string[] = [];
  const relations = hostRelations(spiffeId, selectors, ctx.cluster, problems);
  for (const p of problems) {
    const why = `selector ${p}: the agent is read without that host`;
    events.push(warning(ctx.file, ctx.line, 'selectors', 'INVALID_VALUE', why));
  }
  const asset: Observation = {
    kind: 'asset',
    sourceId: spiffeId,
    scope,
    line: ctx.line,
    keys: [{ type: 'spiffe-id', value: spiffeId }],
    attributes,
    ...(relations.length > 0 && { relations }),
  };
  events.push({ type: 'observation', observation: asset });
  if (serial !== undefined) {
    const svid = svidObservation(spiffeId, serial, expires.value, scope, ctx.line);
    events.push({ type: 'observation', observation: svid });
  }
  return events;
}

/**
 * The agent SVID's serial as SPIRE prints it: a decimal integer of up to 39 digits, kept as a
 * string (a float would round it). The hex form matches the `serial` of x509 observations.
 */
function svidObservation(
  agentId: string,
  serial: string,
  expiresAt: string | undefined,
  scope: string,
  line: number,
): Observation {
  const attributes: Record<string, AttrValue> = {
    name: `${agentId} (agent SVID)`,
    class: 'spire-agent-svid',
    credentialType: 'x509-certificate',
    'spire.serialDecimal': serial,
  };
  if (/^\d+$/.test(serial)) attributes['serial'] = BigInt(serial).toString(16).toUpperCase();
  if (expiresAt !== undefined) attributes['expiresAt'] = expiresAt;
  return {
    kind: 'credential',
    sourceId: `spire-agent-svid:${serial}`,
    scope,
    line,
    keys: [{ type: 'key-id', value: `spire-agent-svid:${serial}` }],
    attributes,
    // The agent is an asset: its SVID names it (the SAN is the agent's SPIFFE ID), as a host
    // certificate names its host. `belongs-to` joins credentials to identities only.
    relations: [{ type: 'names', target: { type: 'spiffe-id', value: agentId } }],
  };
}

/**
 * Where the agent runs, from what its node attestor put in its SPIFFE ID and selectors:
 * - aws_iid: `spiffe://<td>/spire/agent/aws_iid/<account>/<region>/<instance-id>`, and the
 *   selector `aws_iid:instance:id:<instance-id>` (also read as `aws_iid:instance-id:`);
 * - k8s_psat: `spiffe://<td>/spire/agent/k8s_psat/<cluster>/<node uid>`, the selectors
 *   `k8s_psat:agent_node_uid:`, `k8s_psat:cluster:` with `k8s_psat:agent_node_name:`, and
 *   `agent_ns`, `agent_sa`: the agent's service account then `runs-on` the agent.
 * The agent is `hosted-on` the instance or node, so that it is judged with its host.
 */
function hostRelations(
  spiffeId: string,
  selectors: readonly string[],
  cluster: string | undefined,
  problems: string[],
): Relation[] {
  const hosts = new Map<string, Relation>();
  const host = (type: 'aws-instance-id' | 'k8s-uid' | 'k8s-ref', value: string | undefined) => {
    if (value) hosts.set(`${type}:${value}`, { type: 'hosted-on', target: { type, value } });
  };
  const aws = /\/spire\/agent\/aws_iid\/\d{12}\/[^/]+\/(i-[0-9a-f]+)$/.exec(spiffeId);
  host('aws-instance-id', aws?.[1]);
  for (const prefix of ['aws_iid:instance:id:', 'aws_iid:instance-id:']) {
    const id = selectorValue(selectors, prefix);
    if (id !== undefined && /^i-[0-9a-f]+$/.test(id)) host('aws-instance-id', id);
  }
  const psat = /\/spire\/agent\/k8s_psat\/[^/]+\/([^/]+)$/.exec(spiffeId);
  host('k8s-uid', psat?.[1]);
  host('k8s-uid', selectorValue(selectors, 'k8s_psat:agent_node_uid:'));
  const psatCluster = selectorValue(selectors, 'k8s_psat:cluster:') ?? cluster;
  const out = (): Relation[] => [...hosts.values()];
  if (psatCluster === undefined) return out();
  // Names go into k8s-refs: one that could spell another cluster's object links nothing.
  const checked = (part: 'namespace' | 'name', v: string | undefined) => {
    const problem = v === undefined ? undefined : refPartProblem(part, v);
    if (problem) problems.push(problem);
    return problem ? undefined : v;
  };
  const node = checked('name', selectorValue(selectors, 'k8s_psat:agent_node_name:'));
  if (node !== undefined) host('k8s-ref', `${psatCluster}//Node/${node}`);
  const ns = checked('namespace', selectorValue(selectors, 'k8s_psat:agent_ns:'));
  const sa = checked('name', selectorValue(selectors, 'k8s_psat:agent_sa:'));
  if (ns === undefined || sa === undefined) return out();
  const value = `${psatCluster}/${ns}/ServiceAccount/${sa}`;
  return [...out(), { type: 'runs-on', target: { type: 'k8s-ref', value }, reverse: true }];
}
