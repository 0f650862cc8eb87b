import type { DecisionEntry } from '../api-types.js';
import { formatValue } from '../format.js';
import { Badge, Empty, Instant, RecordLink } from './ui.js';

export function actionName(d: DecisionEntry): string {
  return typeof d.action === 'string' ? d.action : d.action.name;
}

export function isPermit(d: DecisionEntry): boolean {
  return d.decision === true || d.decision === 'permit' || d.decision === 'allow';
}

function reasonsOf(d: DecisionEntry): { code: string; message?: string }[] {
  return (d.reasons ?? []).map((r) => (typeof r === 'string' ? { code: r } : r));
}

/** Does a decision name this record, by its id or one of its key values? */
export function concerns(
  d: DecisionEntry,
  recordId: string,
  keyValues: readonly string[],
): boolean {
  const ids = [d.subject.recordId, d.resource.recordId, d.subject.id, d.resource.id];
  return ids.some((v) => v !== undefined && (v === recordId || keyValues.includes(v)));
}

function Party({ party }: { party: DecisionEntry['subject'] }) {
  return (
    <span>
      <span class="muted">{party.type}</span>{' '}
      {party.recordId ? (
        <RecordLink id={party.recordId} name={party.id} />
      ) : (
        <code>{party.id}</code>
      )}
    </span>
  );
}

/** Decisions with their outcome and, on request, the explanation: reasons, policies, facts. */
export function DecisionList({ items }: { items: readonly DecisionEntry[] }) {
  if (items.length === 0) return <Empty>No decision recorded.</Empty>;
  return (
    <ol class="decisions">
      {items.map((d) => {
        const permit = isPermit(d);
        const reasons = reasonsOf(d);
        return (
          <li class={`decision ${permit ? 'permit' : 'deny'}`} key={d.id}>
            <div class="decision-head">
              <Badge tone={permit ? 'good' : 'bad'}>{permit ? 'permit' : 'deny'}</Badge>
              <span class="decision-what">
                <Party party={d.subject} /> <span class="arrow">→</span>{' '}
                <strong>{actionName(d)}</strong> <span class="arrow">→</span>{' '}
                <Party party={d.resource} />
              </span>
              <Instant value={d.at} />
            </div>
            {d.message && <p class="decision-message">{d.message}</p>}
            {reasons.length > 0 && (
              <ul class="reasons" aria-label="Reasons">
                {reasons.map((r) => (
                  <li key={r.code}>
                    <code>{r.code}</code>
                    {r.message ? ` — ${r.message}` : ''}
                  </li>
                ))}
              </ul>
            )}
            <details>
              <summary>Explanation: policies and facts</summary>
              <Explanation d={d} />
            </details>
            <p class="help">
              Decision <code>{d.id}</code>
            </p>
          </li>
        );
      })}
    </ol>
  );
}

function Explanation({ d }: { d: DecisionEntry }) {
  const policies = d.policies ?? [];
  const facts = d.facts ?? [];
  return (
    <div class="explanation">
      <h4>Deciding policies</h4>
      {policies.length === 0 ? (
        <Empty>No policy decided it (a fail-closed deny names its reason above).</Empty>
      ) : (
        <ul>
          {policies.map((p) => (
            <li key={p.id}>
              <code>{p.id}</code>{' '}
              {p.effect && (
                <Badge tone={p.effect === 'permit' ? 'good' : 'bad'}>{p.effect}</Badge>
              )}{' '}
              {p.message ?? p.reason ?? ''}
            </li>
          ))}
        </ul>
      )}
      <h4>Inventory facts used</h4>
      {facts.length === 0 ? (
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
            {facts.map((f, i) => (
              <tr key={`${f.entity ?? ''}.${f.name}.${i}`}>
                <td>
                  <code>{f.entity ? `${f.entity}.${f.name}` : f.name}</code>
                </td>
                <td>{formatValue(f.value)}</td>
                <td>{f.source ?? '—'}</td>
                <td>
                  <Instant value={f.asOf ?? null} />
                </td>
                <td class="wrap">{f.text ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
