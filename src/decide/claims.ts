import type { ExplainedFact } from './explain.js';
import type { EvaluationRequest } from './request.js';

/**
 * Facts the inventory is authoritative for. A request may name them in `subject.properties`
 * or `resource.properties`, but Roster never takes them from there (DESIGN rule 6): not for a
 * party it knows, and not for one it does not, where a claim could only lower the bar.
 */
const AUTHORITATIVE = new Map<string, string>([
  ['known', 'known'], ['kind', 'kind'], ['admission', 'admission'], ['admitted', 'admission'],
  ['lifecycle', 'lifecycle'], ['lifecyclestage', 'lifecycle'], ['stage', 'lifecycle'],
  ['owner', 'owner'], ['ownerstatus', 'ownerStatus'], ['owneractive', 'ownerStatus'],
  ['criticality', 'criticality'], ['mintrusttier', 'criticality'],
  ['environment', 'environment'], ['env', 'environment'], ['production', 'environment'],
  ['freshness', 'freshness'], ['agedays', 'freshness'], ['lastseen', 'freshness'],
  ['freshnesswindowdays', 'freshness'], ['findings', 'findings'], ['trusttier', 'trustTier'],
  ['tier', 'trustTier'], ['spiffeid', 'spiffeId'],
]);

/**
 * The claims a request made about inventory facts, each as an explanation that says it was
 * ignored and what Roster used instead. Empty when the request claims none.
 */
export function ignoredClaims(req: EvaluationRequest): ExplainedFact[] {
  const out: ExplainedFact[] = [];
  for (const role of ['subject', 'resource'] as const) {
    const props = req[role].properties;
    if (!props) continue;
    for (const [name, value] of Object.entries(props)) {
      const fact = AUTHORITATIVE.get(name.toLowerCase().replace(/[-_ ]/g, ''));
      if (!fact) continue;
      out.push({
        entity: role,
        name: `claimed.${name}`,
        value: value ?? null,
        source: 'request',
        field: `${role}.properties.${name}`,
        asOf: null,
        text: `ignored the request's claim ${role}.properties.${name} = ${show(value)}: ` +
          `Roster takes ${fact} only from the inventory`,
      });
    }
  }
  return out;
}

function show(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
