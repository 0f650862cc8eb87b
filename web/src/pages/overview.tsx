import { getJson } from '../api.js';
import type { RunPage, Summary } from '../api-types.js';
import { FindingsChart } from '../components/findings-chart.js';
import {
  Badge,
  Empty,
  ErrorBox,
  Instant,
  Link,
  Loading,
  PageHeader,
  Section,
  SeverityBadge,
} from '../components/ui.js';
import { humanize, kindLabel } from '../format.js';
import { useLoad, useTitle } from '../hooks.js';
import { href } from '../router.js';

const KINDS = ['asset', 'identity', 'credential', 'owner'] as const;
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

/** Findings a reviewer looks for first, linked to the filtered findings list. */
const ATTENTION = [
  'unowned-asset',
  'orphaned-credential',
  'retired-asset-active',
  'unknown-asset',
  'root-access-key',
  'human-use-of-nhi',
];

export function OverviewPage() {
  useTitle('Overview');
  const summary = useLoad(() => getJson<Summary>('/summary'), 'summary');
  const runs = useLoad(() => getJson<RunPage>('/runs', { limit: 8 }), 'runs');
  return (
    <>
      <PageHeader title="Overview" subtitle="The reconciled estate and what is wrong with it." />
      {summary.loading && !summary.data && <Loading what="the summary" />}
      {summary.error !== undefined && <ErrorBox error={summary.error} what="the summary" />}
      {summary.data && <SummaryView s={summary.data} />}
      <Section title="Recent runs">
        {runs.error !== undefined && <ErrorBox error={runs.error} what="runs" />}
        {runs.data && <RunsTable page={runs.data} />}
      </Section>
    </>
  );
}

function SummaryView({ s }: { s: Summary }) {
  const open = Object.values(s.findingsBySeverity).reduce((a, b) => a + b, 0);
  return (
    <>
      <div class="stats" aria-label="Records and findings">
        {KINDS.map((k) => (
          <Link class="stat" href={href('/inventory', { kind: k })} key={k}>
            <span class="stat-value">{s.records[k] ?? 0}</span>
            <span class="stat-label">{TITLES[k]}</span>
          </Link>
        ))}
        <Link class="stat stat-alert" href="/findings">
          <span class="stat-value">{open}</span>
          <span class="stat-label">Open findings</span>
        </Link>
      </div>
      <Section title="Needs attention">
        <ul class="attention">
          {ATTENTION.map((kind) => {
            const n = s.findingsByKind[kind] ?? 0;
            return (
              <li key={kind} class={n > 0 ? 'has' : 'none'}>
                <Link href={href('/findings', { kind })}>
                  <span class="attention-count">{n}</span> {humanize(kind)}
                </Link>
              </li>
            );
          })}
        </ul>
      </Section>
      <div class="grid-2">
        <Section title="Open findings by severity">
          <Bars counts={s.findingsBySeverity} order={SEVERITY_ORDER} param="severity" />
        </Section>
        <Section title="Open findings by kind">
          <Bars counts={s.findingsByKind} param="kind" />
        </Section>
      </div>
      <Section title="Findings over time">
        <FindingsChart points={s.findingsOverTime} />
      </Section>
      <div class="grid-3">
        <Section title="By admission">
          <Matrix by={s.byAdmission} param="admission" />
        </Section>
        <Section title="By lifecycle stage">
          <Matrix by={s.byLifecycle} param="lifecycle" />
        </Section>
        <Section title="By environment">
          <Matrix by={s.byEnvironment} param="environment" />
        </Section>
      </div>
    </>
  );
}

const TITLES: Record<string, string> = {
  asset: 'Assets',
  identity: 'Identities',
  credential: 'Credentials',
  owner: 'Owners',
};

/** Horizontal bars with their numbers; each row links to the filtered findings. */
function Bars(props: { counts: Record<string, number>; order?: string[]; param: string }) {
  const entries = Object.entries(props.counts).sort((a, b) => {
    if (!props.order) return b[1] - a[1] || a[0].localeCompare(b[0]);
    return props.order.indexOf(a[0]) - props.order.indexOf(b[0]);
  });
  if (entries.length === 0) return <Empty>No open findings.</Empty>;
  const max = Math.max(...entries.map((e) => e[1]));
  return (
    <table class="bars">
      <tbody>
        {entries.map(([name, n]) => (
          <tr key={name}>
            <th scope="row">
              <Link href={href('/findings', { [props.param]: name })}>
                {props.param === 'severity' ? <SeverityBadge value={name} /> : humanize(name)}
              </Link>
            </th>
            <td class="bar-cell">
              <span
                class={`bar bar-${props.param === 'severity' ? name : 'kind'}`}
                style={{ width: `${(n / max) * 100}%` }}
              />
            </td>
            <td class="num">{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Value × kind counts; a cell links to the inventory filtered by both. */
function Matrix({ by, param }: { by: Summary['byAdmission']; param: string }) {
  const kinds = KINDS.filter((k) => by[k]);
  const values = [...new Set(kinds.flatMap((k) => Object.keys(by[k] ?? {})))].sort((a, b) =>
    a === 'none' ? 1 : b === 'none' ? -1 : a.localeCompare(b),
  );
  if (values.length === 0) return <Empty>No records yet.</Empty>;
  return (
    <div class="table-wrap">
      <table class="data compact matrix">
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">{param}</span>
            </th>
            {kinds.map((k) => (
              <th scope="col" class="num" key={k}>
                {kindLabel(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {values.map((v) => (
            <tr key={v}>
              <th scope="row">{v === 'none' ? <span class="muted">none</span> : v}</th>
              {kinds.map((k) => {
                const n = by[k]?.[v] ?? 0;
                const canFilter = v !== 'none' && n > 0;
                return (
                  <td class="num" key={k}>
                    {canFilter ? (
                      <Link href={href('/inventory', { kind: k, [param]: v })}>{n}</Link>
                    ) : (
                      n || '·'
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunsTable({ page }: { page: RunPage }) {
  if (page.items.length === 0) return <Empty>Nothing ingested yet.</Empty>;
  return (
    <div class="table-wrap">
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Format</th>
            <th scope="col">Scope</th>
            <th scope="col">As of</th>
            <th scope="col">Coverage</th>
            <th scope="col" class="num">
              Added
            </th>
            <th scope="col" class="num">
              Changed
            </th>
            <th scope="col" class="num">
              Missing
            </th>
            <th scope="col" class="num">
              Rejected
            </th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((r) => (
            <tr key={r.id}>
              <td>{r.source}</td>
              <td>
                <code>{r.format}</code>
              </td>
              <td class="wrap">{r.scopes.join(', ')}</td>
              <td>
                <Instant value={r.asOf} />
              </td>
              <td>
                {r.status !== 'committed' ? (
                  <Badge tone="bad">{r.status}</Badge>
                ) : (
                  <Badge tone={r.complete ? 'good' : 'warn'}>
                    {r.complete ? 'complete' : 'partial'}
                  </Badge>
                )}
              </td>
              <td class="num">{r.counts?.added ?? '—'}</td>
              <td class="num">{r.counts?.changed ?? '—'}</td>
              <td class="num">{r.counts?.missing ?? '—'}</td>
              <td class="num">{r.counts?.rejected ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
