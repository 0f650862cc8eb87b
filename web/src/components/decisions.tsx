import type { DecisionEntry } from '../api-types.js';
import { formatValue } from '../format.js';
import { Badge, Empty, Instant, RecordLink } from './ui.js';

/** Does a decision name this record, as its subject or its resource? */
export function concerns(d: DecisionEntry, recordId: string): boolean {
  return d.subject.recordId === recordId || d.resource.recordId === recordId;
}

function Party({ role, party }: { role: string; party: DecisionEntry['subject'] }) {
  return (
    <span class="party">
      <span class="party-role">{role}</span> <span class="muted">{party.type}</span>{' '}
      {party.recordId ? (
        <RecordLink id={party.recordId} name={party.id} />
      ) : (
        <code title="not in the inventory">{party.id}</code>
      )}
    </span>
  );
}

/** Decisions with their outcome and, on request, the explanation: reasons, policies, facts. */
export function DecisionList({ items }: { items: readonly DecisionEntry[] }) {
  if (items.length === 0) return <Empty>No decision recorded.</Empty>;
  return (
    <ol class="decisions" aria-label="Decisions">
      {items.map((d) => (
        <li
          class={`decision ${d.decision ? 'permit' : 'deny'}`}
          key={d.id}
          data-outcome={d.decision}
        >
          <div class="decision-head">
            <Badge tone={d.decision ? 'good' : 'bad'}>{d.decision ? 'permit' : 'deny'}</Badge>
            <span class="decision-what">
              <Party role="who" party={d.subject} />
              <strong class="action">{d.action.name}</strong>
              <Party role="on" party={d.resource} />
            </span>
            <Instant value={d.at} />
          </div>
          {d.reasons.length > 0 && (
            <ul class="reasons" aria-label="Reasons">
              {d.reasons.map((r) => (
                <li key={r.code}>
                  <code>{r.code}</code> {r.message}
                </li>
              ))}
            </ul>
          )}
          <details>
            <summary>Explanation: deciding policies and the facts used</summary>
            <Explanation d={d} />
          </details>
        </li>
      ))}
    </ol>
  );
}

function Explanation({ d }: { d: DecisionEntry }) {
  return (
    <div class="explanation">
      {d.message && <p class="decision-message">{d.message}</p>}
      <h4>Deciding policies</h4>
      {d.policies.length === 0 ? (
        <Empty>No policy decided it: a fail-closed deny names its reason above.</Empty>
      ) : (
        <ul>
          {d.policies.map((p) => (
            <li key={p}>
              <code>{p}</code>
            </li>
          ))}
        </ul>
      )}
      <h4>Inventory facts used</h4>
      {d.facts.length === 0 ? (
        <Empty>No fact recorded.</Empty>
      ) : (
        <table class="data compact">
          <thead>
            <tr>
              <th scope="col">Fact</th>
              <th scope="col">Value</th>
              <th scope="col">Source</th>
              <th scope="col">As of</th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {d.facts.map((f, i) => (
              <tr key={`${f.entity}.${f.name}.${i}`}>
                <td>
                  <code>{`${f.entity}.${f.name}`}</code>
                </td>
                <td>{formatValue(f.value)}</td>
                <td>
                  {f.source}
                  <div class="sources">{f.field}</div>
                </td>
                <td>
                  <Instant value={f.asOf} />
                </td>
                <td>{f.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="help">
        Decision <code>{d.id}</code>
        {d.policySet && (
          <>
            {' '}
            · policy set <code>{d.policySet.slice(0, 16)}</code>
          </>
        )}
        {d.proof && (
          <>
            {' '}
            · proof {d.proof.kind} {d.proof.ok ? 'verified' : 'refused'}
            {d.proof.spiffeId ? ` (${d.proof.spiffeId})` : ''}
          </>
        )}
      </p>
    </div>
  );
}
