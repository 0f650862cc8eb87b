import { useEffect, useState } from 'preact/hooks';
import {
  ADMISSIONS,
  CRITICALITIES,
  ENVIRONMENTS,
  LIFECYCLE_STAGES,
} from '../../../src/model/types.js';
import { getJson } from '../api.js';
import type { RecordPage, RecordSummary } from '../api-types.js';
import {
  AdmissionBadge,
  Empty,
  ErrorBox,
  Instant,
  Loading,
  PageHeader,
  Pager,
  RecordLink,
} from '../components/ui.js';
import { kindLabel, ownable } from '../format.js';
import { useCursorPages, useLoad, useTitle } from '../hooks.js';
import { href, navigate, paramsOf } from '../router.js';

const FILTERS = [
  'kind',
  'admission',
  'lifecycle',
  'environment',
  'criticality',
  'unowned',
  'q',
  'sort',
  'limit',
] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Partial<Record<Filter, string>>;

const PAGE_SIZES = ['25', '50', '100', '200'];
const DEFAULT_PAGE_SIZE = 50;

/** The list's order as the API takes it: newest changes and sightings first, names A to Z. */
const SORTS: Record<string, { sort: string; order: 'asc' | 'desc' }> = {
  name: { sort: 'name', order: 'asc' },
  updatedAt: { sort: 'updatedAt', order: 'desc' },
  firstSeen: { sort: 'firstSeen', order: 'desc' },
};

function apiQuery(f: Filters) {
  const { sort, limit, ...rest } = f;
  const size = limit && PAGE_SIZES.includes(limit) ? Number(limit) : DEFAULT_PAGE_SIZE;
  return { ...rest, ...(SORTS[sort ?? 'name'] ?? SORTS['name']), limit: size };
}

/** Assets, identities, credentials and owners, filtered and searched by the API, by cursor. */
export function InventoryPage({ query }: { query: URLSearchParams }) {
  useTitle('Inventory');
  const filters: Filters = paramsOf(query, FILTERS);
  const key = JSON.stringify(filters);
  const pages = useCursorPages(key);
  const list = useLoad(
    () => getJson<RecordPage>('/records', { ...apiQuery(filters), cursor: pages.cursor }),
    `${key}|${pages.cursor ?? ''}`,
  );
  const set = (name: Filter, value: string | undefined) =>
    navigate(href('/inventory', { ...filters, [name]: value || undefined }), { replace: true });

  return (
    <>
      <PageHeader
        title="Inventory"
        subtitle={
          'Every reconciled record. Search matches names and key values (instance ids, ARNs, ' +
          'serials, hostnames…).'
        }
      />
      <FilterBar filters={filters} set={set} />
      <div class="results panel" aria-busy={list.loading}>
        {list.error !== undefined && <ErrorBox error={list.error} what="the inventory" />}
        {list.loading && !list.data && <Loading what="records" />}
        {list.data && <RecordTable items={list.data.items} q={filters.q} />}
        {list.data && <Pager label="Inventory" pages={pages} shown={list.data} />}
      </div>
    </>
  );
}

function FilterBar({
  filters,
  set,
}: {
  filters: Filters;
  set: (f: Filter, v: string | undefined) => void;
}) {
  const [text, setText] = useState(filters.q ?? '');
  useEffect(() => setText(filters.q ?? ''), [filters.q]);
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter the inventory"
      onSubmit={(e) => {
        e.preventDefault();
        set('q', text.trim());
      }}
    >
      <div class="field field-search">
        <label for="inv-q">Search</label>
        <div class="search-row">
          <input
            id="inv-q"
            type="search"
            value={text}
            maxLength={200}
            placeholder="name or key: hostname, instance id, ARN…"
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit" class="primary">
            Search
          </button>
        </div>
      </div>
      <Select
        id="inv-kind"
        label="Kind"
        value={filters.kind}
        onChange={(v) => set('kind', v)}
        options={['asset', 'identity', 'credential', 'owner'].map((k) => [k, kindLabel(k)])}
        all="All kinds"
      />
      <Select
        id="inv-admission"
        label="Admission"
        value={filters.admission}
        onChange={(v) => set('admission', v)}
        options={ADMISSIONS.map((a) => [a, a])}
        all="Any"
      />
      <Select
        id="inv-lifecycle"
        label="Lifecycle"
        value={filters.lifecycle}
        onChange={(v) => set('lifecycle', v)}
        options={LIFECYCLE_STAGES.map((a) => [a, a])}
        all="Any"
      />
      <Select
        id="inv-env"
        label="Environment"
        value={filters.environment}
        onChange={(v) => set('environment', v)}
        options={ENVIRONMENTS.map((a) => [a, a])}
        all="Any"
      />
      <Select
        id="inv-crit"
        label="Criticality"
        value={filters.criticality}
        onChange={(v) => set('criticality', v)}
        options={CRITICALITIES.map((a) => [a, a])}
        all="Any"
      />
      <div class="field field-check">
        <input
          id="inv-unowned"
          type="checkbox"
          checked={filters.unowned === 'true'}
          onChange={(e) =>
            set('unowned', (e.currentTarget as HTMLInputElement).checked ? 'true' : undefined)
          }
        />
        <label for="inv-unowned">Unowned only</label>
      </div>
      <Select
        id="inv-sort"
        label="Order"
        value={filters.sort}
        onChange={(v) => set('sort', v)}
        options={[
          ['updatedAt', 'recently changed'],
          ['firstSeen', 'newest first'],
        ]}
        all="name"
      />
      <div class="field">
        <label for="inv-limit">Rows</label>
        <select
          id="inv-limit"
          value={filters.limit ?? String(DEFAULT_PAGE_SIZE)}
          onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value;
            set('limit', v === String(DEFAULT_PAGE_SIZE) ? undefined : v);
          }}
        >
          {PAGE_SIZES.map((s) => (
            <option value={s} key={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

export function Select(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: readonly (readonly [string, string])[];
  all: string;
  onChange: (v: string | undefined) => void;
}) {
  const known = props.options.some(([v]) => v === props.value);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value ?? ''}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value || undefined)}
      >
        <option value="">{props.all}</option>
        {props.value && !known && <option value={props.value}>{props.value}</option>}
        {props.options.map(([v, label]) => (
          <option value={v} key={v}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Keys to show in a row: those matching the search first, then the rest. */
function shownKeys(r: RecordSummary, q: string | undefined) {
  const needle = q?.toLowerCase();
  const matches = needle ? r.keys.filter((k) => k.value.toLowerCase().includes(needle)) : [];
  const rest = r.keys.filter((k) => !matches.includes(k) && k.type !== 'name');
  const all = [...matches, ...rest];
  return { keys: all.slice(0, 3), more: Math.max(0, all.length - 3), matches };
}

/** Nobody owning an asset or identity is a finding; an owner or credential has none of its own. */
function NoOwner({ kind }: { kind: string }) {
  if (ownable(kind)) return <span class="unowned">none</span>;
  return <span class="muted">—</span>;
}

function RecordTable({ items, q }: { items: readonly RecordSummary[]; q: string | undefined }) {
  if (items.length === 0) return <Empty>No record matches these filters.</Empty>;
  return (
    <div class="table-wrap">
      <table class="data" aria-label="Records">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Admission</th>
            <th scope="col">Lifecycle</th>
            <th scope="col">Environment</th>
            <th scope="col">Owner</th>
            <th scope="col">Keys</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => {
            const { keys, more, matches } = shownKeys(r, q);
            const newest = Object.values(r.lastSeen).sort().pop();
            return (
              <tr key={r.id}>
                <td class="name-cell">
                  <RecordLink id={r.id} name={r.name} />
                </td>
                <td>{kindLabel(r.kind)}</td>
                <td>
                  {ownable(r.kind) ? (
                    <AdmissionBadge value={r.admission} />
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
                <td>{r.lifecycle ?? <span class="muted">—</span>}</td>
                <td>{r.environment ?? <span class="muted">—</span>}</td>
                <td>{r.owner ?? <NoOwner kind={r.kind} />}</td>
                <td class="keys-cell">
                  {keys.map((k) => (
                    <span
                      class={`key${matches.includes(k) ? ' key-match' : ''}`}
                      key={`${k.type}:${k.value}`}
                    >
                      <span class="key-type">{k.type}</span> {k.value}
                    </span>
                  ))}
                  {more > 0 && <span class="muted"> +{more} more</span>}
                </td>
                <td>
                  <Instant value={newest} />
                  <div class="sources">{Object.keys(r.lastSeen).join(', ')}</div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
