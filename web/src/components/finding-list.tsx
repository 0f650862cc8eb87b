import { useState } from 'preact/hooks';
import { getJson } from '../api.js';
import type { Finding, RecordSummary } from '../api-types.js';
import { useLoad } from '../hooks.js';
import { formatValue, humanize, kindLabel } from '../format.js';
import { describeReference } from '../references.js';
import { Badge, Empty, Instant, RecordLink, SeverityBadge } from './ui.js';

/** Findings, each with its subject, message, framework references and evidence. */
export function FindingList(props: {
  items: readonly Finding[];
  showSubject?: boolean;
  open?: boolean;
}) {
  if (props.items.length === 0) return <Empty>No finding matches.</Empty>;
  return (
    <ul class="findings" aria-label="Findings">
      {props.items.map((f) => (
        <li
          class={`finding sev-${f.severity}`}
          key={f.id}
          data-kind={f.kind}
          data-subject={f.subject.name}
        >
          <div class="finding-head">
            <SeverityBadge value={f.severity} />
            <span class="finding-kind">{humanize(f.kind)}</span>
            {props.showSubject !== false && (
              <span class="finding-subject">
                <span class="muted">{kindLabel(f.subject.type)}</span>{' '}
                <RecordLink id={f.subject.id} name={f.subject.name} />
              </span>
            )}
            {f.status === 'closed' && <Badge tone="neutral">closed</Badge>}
          </div>
          <p class="finding-message">{f.message}</p>
          <References codes={f.references} />
          <EvidenceDetails f={f} open={props.open ?? false} />
        </li>
      ))}
    </ul>
  );
}

/** The evidence of a finding, drawn (and its records named) only once it is opened. */
function EvidenceDetails({ f, open }: { f: Finding; open: boolean }) {
  const [shown, setShown] = useState(open);
  return (
    <details
      open={open}
      onToggle={(e) => setShown((e.currentTarget as HTMLDetailsElement).open || shown)}
    >
      <summary>
        Evidence ({f.evidence.length}) · opened <Instant value={f.openedAt} />
        {f.closedAt && (
          <>
            {' '}
            · closed <Instant value={f.closedAt} />
          </>
        )}
      </summary>
      {shown && <Evidence items={f.evidence} />}
      <p class="help">
        Finding <code>{f.id}</code>, kind <code>{f.kind}</code>, last judged{' '}
        <Instant value={f.lastJudgedAt} />
      </p>
    </details>
  );
}

const RECORD_ID = /^(ast|idn|crd|own)_[0-9a-f]{8,}$/;
const names = new Map<string, Promise<string>>();

/** A record named by its id in evidence, shown by its name (each id looked up once). */
function EvidenceRecord({ id }: { id: string }) {
  let name = names.get(id);
  if (!name) {
    name = getJson<RecordSummary>(`/records/${encodeURIComponent(id)}`).then(
      (r) => r.name,
      () => id,
    );
    names.set(id, name);
  }
  const pending = name;
  const loaded = useLoad(() => pending, id);
  return <RecordLink id={id} name={loaded.data ?? id} />;
}

function EvidenceValue({ value }: { value: unknown }) {
  if (typeof value === 'string' && RECORD_ID.test(value)) return <EvidenceRecord id={value} />;
  return <>{formatValue(value)}</>;
}

export function References({ codes }: { codes: readonly string[] }) {
  if (codes.length === 0) return null;
  return (
    <ul class="refs" aria-label="Framework references">
      {codes.map((code) => {
        const r = describeReference(code);
        const title = [r.framework, r.control, r.title].filter(Boolean).join(' · ');
        return (
          <li key={code} title={title}>
            <span class="ref-code">
              {r.framework ? shortFramework(r.framework) : ''} {r.control}
            </span>
            {r.title && <span class="ref-title">{r.title}</span>}
          </li>
        );
      })}
    </ul>
  );
}

function shortFramework(name: string): string {
  if (name.startsWith('OWASP')) return 'OWASP';
  if (name.startsWith('NIST CSF')) return 'CSF 2.0';
  return 'SP 800-207';
}

function Evidence({ items }: { items: Finding['evidence'] }) {
  if (items.length === 0) return <Empty>No evidence recorded.</Empty>;
  return (
    <div class="table-wrap">
      <table class="data compact evidence">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">As of</th>
            <th scope="col">Record</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e, i) => (
            <tr key={`${e.source}.${e.field}.${i}`}>
              <td>
                {e.source}
                {e.format && <div class="sources">{e.format}</div>}
              </td>
              <td>
                <code>{e.field}</code>
              </td>
              <td class="wrap">
                <EvidenceValue value={e.value} />
              </td>
              <td>
                <Instant value={e.asOf} />
              </td>
              <td>{e.recordId ? <EvidenceRecord id={e.recordId} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
