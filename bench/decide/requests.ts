/**
 * The AuthZEN requests of the benchmark. In process, a mix over the whole estate (workloads by
 * SPIFFE ID, hosts by hostname and instance id, subjects Roster never saw); over HTTP one fixed
 * request, the same for every server, that Roster allows after looking both parties up.
 */
import type { EvaluationRequest } from '../../src/decide/request.js';
import { hostName, inCloud, instanceId, spiffeId, type EstateShape } from './estate.js';

const ACTIONS = ['read', 'write', 'connect', 'execute'];

/** A deterministic walk over the estate: index k of `count` gives the same request each run. */
export function mixedRequests(shape: EstateShape, count: number): EvaluationRequest[] {
  const out: EvaluationRequest[] = [];
  for (let k = 0; k < count; k++) {
    const r = (k * 2_654_435_761) >>> 0;
    const asset = r % shape.assets;
    const target = (r >>> 7) % shape.assets;
    const pick = k % 20;
    let subject: EvaluationRequest['subject'];
    if (pick < 9) subject = { type: 'workload', id: spiffeId(r % shape.workloads) };
    else if (pick < 15) subject = { type: 'host', id: hostName(asset) };
    else if (pick < 18 && inCloud(asset)) subject = { type: 'host', id: instanceId(asset) };
    else if (pick < 18) subject = { type: 'host', id: `ci-${asset}` };
    else subject = { type: 'workload', id: `spiffe://bench.example/ns/production/sa/ghost-${k}` };
    out.push({
      subject,
      action: { name: ACTIONS[k % ACTIONS.length]! },
      resource: { type: 'host', id: hostName(target) },
    });
  }
  return out;
}

/**
 * Workload 20 (production, owned by an active owner, seen by SPIRE) reads host-6 (production,
 * low criticality): allowed. The properties are the facts a stateless engine (Cerbos) must be
 * sent; Roster looks both parties up in its inventory, whose facts beat what a request claims.
 */
export const HTTP_REQUEST = {
  subject: {
    type: 'workload',
    id: spiffeId(20),
    properties: { known: true, admission: 'approved', ownerStatus: 'active', freshness: 'fresh',
      production: true, trustTier: 2, proof: 'none', findings: [] as string[] },
  },
  action: { name: 'read' },
  resource: {
    type: 'host',
    id: hostName(6),
    properties: { known: true, admission: 'approved', production: true, minTrustTier: 1 },
  },
} satisfies EvaluationRequest;
