import { ApiFailure, getJson } from '../api.js';
import type {
  Attribute,
  DecisionPage,
  FindingsPage,
  HistoryPage,
  RecordDetail,
  RelationList,
} from '../api-types.js';
import { concerns, DecisionList } from '../components/decisions.js';
import { FindingList } from '../components/finding-list.js';
import {
  AdmissionBadge,
  Badge,
  Empty,
  ErrorBox,
  GraphLink,
  Instant,
  Link,
  Loading,
  PageHeader,
  Pager,
  RecordLink,
  Section,
} from '../components/ui.js';
import { formatValue, humanize, kindLabel, ownable } from '../format.js';
import { useCursorPages, useLoad, useTitle } from '../hooks.js';
import { href } from '../router.js';

/** One record: what every source says about it, and everything that hangs off it. */
export function RecordPage({ id }: { id: string }) {
  const record = useLoad(() => getJson<RecordDetail>(`/records/${encodeURIComponent(id)}`), id);
  useTitle(record.data?.name ?? 'Record');
  if (record.error !== undefined) {
    const missing = record.error instanceof ApiFailure && record.error.status === 404;
    return (
      <>
        <PageHeader title={missing ? 'No such record' : 'Record'} />
        <ErrorBox error={record.error} what={`record ${id}`} />
        <p>
          <Link href="/inventory">Back to the inventory</Link>
        </p>
      </>
    );
  }
  if (!record.data) {
    return (
      <>
        <PageHeader title="Record" />
        <Loading what="the record" />
      </>
    );
  }
  return <RecordView r={record.data} />;
}

function RecordView({ r }: { r: RecordDetail }) {
  return (
    <>
      <PageHeader
        title={r.name}
        subtitle={
          <span class="record-meta">
            <span class="kind-chip">{kindLabel(r.kind)}</span>{' '}
            {ownable(r.kind) && <AdmissionBadge value={r.admission} />}{' '}
            {r.lifecycle && <Badge tone="info">{r.lifecycle}</Badge>}{' '}
            {(ownable(r.kind) || r.owner) && (
              <span>owner: {r.owner ?? <span class="unowned">none</span>}</span>
            )}
            {r.environment && <span> · {r.environment}</span>}
            {r.criticality && <span> · criticality {r.criticality}</span>}
            <span class="muted"> · {r.id}</span>
          </span>
        }
        actions={<GraphLink id={r.id}>Graph around this record</GraphLink>}
      />
      <RecordFindings id={r.id} />
      <div class="grid-2 align-start">
        <Relations id={r.id} />
        <Section title="Keys">
          <KeysTable r={r} />
        </Section>
      </div>
      <Section title="Sightings">
        <Sightings r={r} />
      </Section>
      <Section
        title="Attributes and provenance"
        aside={
          <span class="help">
            The winning value of each attribute, who said it and as of when; disagreeing sources
            below it.
          </span>
        }
      >
        <Provenance attributes={r.attributes} />
      </Section>
      {r.keyConflicts.length > 0 && (
        <Section title="Refused merges">
          <KeyConflicts r={r} />
        </Section>
      )}
      <RecordDecisions r={r} />
      <History id={r.id} />
    </>
  );
}

function KeysTable({ r }: { r: RecordDetail }) {
  return (
    <table class="data compact">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {r.keys.map((k) => (
          <tr key={`${k.type}:${k.value}`}>
            <td>
              <code>{k.type}</code>
            </td>
            <td class="wrap mono">{k.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Sightings({ r }: { r: RecordDetail }) {
  if (r.sightings.length === 0) return <Empty>No source has seen it.</Empty>;
  return (
    <table class="data compact">
      <thead>
        <tr>
          <th scope="col">Source</th>
          <th scope="col">Scope</th>
          <th scope="col">Last seen</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {r.sightings.map((s) => (
          <tr key={`${s.source}|${s.scope}|${s.runId}`}>
            <td>
              {s.source}
              <div class="sources">{s.format}</div>
            </td>
            <td class="wrap">{s.scope}</td>
            <td>
              <Instant value={s.lastSeen} />
              {!s.discovered && <div class="sources">listed, not discovered</div>}
            </td>
            <td>
              {s.status === 'present' ? (
                <Badge tone="good">present</Badge>
              ) : (
                <>
                  <Badge tone="warn">missing</Badge>
                  <div class="sources">
                    since <Instant value={s.missingSince} />
                  </div>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Attributes in name order, conflicting ones first so that disagreements are seen. */
function Provenance({ attributes }: { attributes: Record<string, Attribute> }) {
  const names = Object.keys(attributes).sort((a, b) => {
    const ca = attributes[a]!.conflicts.length > 0 ? 0 : 1;
    const cb = attributes[b]!.conflicts.length > 0 ? 0 : 1;
    return ca - cb || a.localeCompare(b);
  });
  if (names.length === 0) return <Empty>No attribute.</Empty>;
  return (
    <div class="table-wrap">
      <table class="data provenance" aria-label="Attributes and provenance">
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Value</th>
            <th scope="col">Source</th>
            <th scope="col">As of</th>
            <th scope="col">Disagreeing sources</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const a = attributes[name]!;
            return (
              <tr key={name} class={a.conflicts.length > 0 ? 'conflict' : undefined}>
                <th scope="row">
                  <code>{name}</code>
                </th>
                <td class="wrap">{formatValue(a.value)}</td>
                <td class="source-cell">
                  {a.source}
                  <div class="sources">
                    {a.format}
                    {a.field && a.field !== name ? ` · ${a.field}` : ''}
                  </div>
                </td>
                <td>
                  <Instant value={a.asOf} />
                </td>
                <td>
                  {a.conflicts.length === 0 ? (
                    <span class="muted">—</span>
                  ) : (
                    <ul class="conflicts">
                      {a.conflicts.map((c) => (
                        <li key={`${c.source}|${c.runId}`}>
                          <strong>{c.source}</strong> says{' '}
                          <span class="mono">{formatValue(c.value)}</span>
                          <span class="sources">
                            {' '}
                            as of <Instant value={c.asOf} />
                          </span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function KeyConflicts({ r }: { r: RecordDetail }) {
  return (
    <ul class="plain">
      {r.keyConflicts.map((c, i) => (
        <li key={i}>
          <code>{c.keyType}</code> disagrees: {c.values.join(' vs ')} ({c.source},{' '}
          <Instant value={c.asOf} />
          ); records{' '}
          {c.recordIds.map((id) => (
            <span key={id}>
              <RecordLink id={id} name={id} />{' '}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

const RELATION_WORDS: Record<string, [string, string]> = {
  'runs-on': ['runs on', 'hosts'],
  'belongs-to': ['belongs to', 'has'],
  'owned-by': ['owned by', 'owns'],
  'hosted-on': ['hosted on', 'hosts'],
  'issued-by': ['issued by', 'issued'],
  names: ['names', 'named by'],
  'instance-of': ['instance of', 'has instance'],
};

function relationWord(type: string, direction: 'out' | 'in'): string {
  const w = RELATION_WORDS[type];
  if (!w) return `${type} (${direction})`;
  return direction === 'out' ? w[0] : w[1];
}

function Relations({ id }: { id: string }) {
  const rel = useLoad(
    () => getJson<RelationList>(`/records/${encodeURIComponent(id)}/relations`),
    id,
  );
  return (
    <Section title="Relations" aside={<GraphLink id={id}>Show as graph</GraphLink>}>
      {rel.error !== undefined && <ErrorBox error={rel.error} what="relations" />}
      {rel.loading && !rel.data && <Loading what="relations" />}
      {rel.data && rel.data.items.length === 0 && <Empty>No relation.</Empty>}
      {rel.data && rel.data.items.length > 0 && (
        <table class="data compact">
          <thead>
            <tr>
              <th scope="col">Relation</th>
              <th scope="col">Record</th>
              <th scope="col">Kind</th>
              <th scope="col">Said by</th>
            </tr>
          </thead>
          <tbody>
            {rel.data.items.map((x, i) => (
              <tr key={i}>
                <td>{relationWord(x.type, x.direction)}</td>
                <td>
                  {x.other.id ? (
                    <RecordLink id={x.other.id} name={x.other.name} />
                  ) : (
                    <span class="muted">
                      not in the inventory:{' '}
                      <code>{x.other.key ? `${x.other.key.type}:${x.other.key.value}` : '?'}</code>
                    </span>
                  )}
                </td>
                <td>{kindLabel(x.other.kind)}</td>
                <td>{x.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function RecordFindings({ id }: { id: string }) {
  const found = useLoad(
    () => getJson<FindingsPage>('/findings', { subject: id, status: 'all', limit: 100 }),
    id,
  );
  return (
    <Section
      title="Findings"
      aside={
        <Link href={href('/findings', { subject: id, status: 'all' })}>In the findings list</Link>
      }
    >
      {found.error !== undefined && <ErrorBox error={found.error} what="findings" />}
      {found.loading && !found.data && <Loading what="findings" />}
      {found.data && <FindingList items={found.data.items} showSubject={false} />}
    </Section>
  );
}

const RECENT = 500;

function RecordDecisions({ r }: { r: RecordDetail }) {
  // TODO(#6): ask the log for this record's decisions once GET /api/v1/decisions takes a record
  // id; its `subject` filter takes the id as requests name it, so the newest page is searched.
  const log = useLoad(() => getJson<DecisionPage>('/decisions', { limit: RECENT }), r.id);
  const mine = log.data?.items.filter((d) => concerns(d, r.id)) ?? [];
  const absent = log.error instanceof ApiFailure && log.error.status === 404;
  return (
    <Section title="Decisions">
      {absent && (
        <Empty>This server keeps no decision log (GET /api/v1/decisions is not served).</Empty>
      )}
      {log.error !== undefined && !absent && <ErrorBox error={log.error} what="decisions" />}
      {log.loading && !log.data && <Loading what="decisions" />}
      {log.data && <DecisionList items={mine} />}
      {log.data && (
        <p class="help">
          {log.data.items.length === 0
            ? 'The decision log is empty. '
            : `Decisions naming this record as subject or resource, among the ${
                log.data.items.length
              } most recent. `}
          <Link href="/decisions">All decisions</Link>
        </p>
      )}
    </Section>
  );
}

function History({ id }: { id: string }) {
  const pages = useCursorPages(id);
  const hist = useLoad(
    () =>
      getJson<HistoryPage>(`/records/${encodeURIComponent(id)}/history`, {
        limit: 25,
        cursor: pages.cursor,
      }),
    `${id}|${pages.cursor ?? ''}`,
  );
  return (
    <Section title="History">
      {hist.error !== undefined && <ErrorBox error={hist.error} what="history" />}
      {hist.loading && !hist.data && <Loading what="history" />}
      {hist.data && hist.data.items.length === 0 && <Empty>No change recorded.</Empty>}
      {hist.data && hist.data.items.length > 0 && (
        <>
          <ol class="timeline">
            {hist.data.items.map((e) => (
              <li key={e.seq}>
                <Instant value={e.at} /> <strong>{humanize(e.type)}</strong>{' '}
                <HistoryData type={e.type} data={e.data} />
              </li>
            ))}
          </ol>
          {(pages.hasPrevious || hist.data.next) && (
            <Pager label="History" pages={pages} shown={hist.data} />
          )}
        </>
      )}
    </Section>
  );
}

function HistoryData({ type, data }: { type: string; data: Record<string, unknown> }) {
  if (type.startsWith('finding.') && typeof data['kind'] === 'string') {
    return <span>{humanize(data['kind'])}</span>;
  }
  const fields = data['fields'];
  if (Array.isArray(fields)) return <span class="muted">{fields.join(', ')}</span>;
  const entries = Object.entries(data).filter(([k]) => k !== 'kind' && k !== 'name');
  if (entries.length === 0) return null;
  return <span class="muted">{entries.map(([k, v]) => `${k}: ${formatValue(v)}`).join('; ')}</span>;
}
