import { useEffect, useState } from 'preact/hooks';
import { SEVERITIES } from '../../../src/judge/finding.js';
import { ApiFailure, getJson, getText } from '../api.js';
import type { FindingsPage as FindingsPageData, RecordDetail, Summary } from '../api-types.js';
import { FindingList } from '../components/finding-list.js';
import { ErrorBox, Loading, PageHeader, Pager, RecordLink } from '../components/ui.js';
import { humanize } from '../format.js';
import { useCursorPages, useLoad, useTitle } from '../hooks.js';
import { href, navigate, paramsOf } from '../router.js';
import { Select } from './inventory.js';

const FILTERS = ['kind', 'severity', 'status', 'subject', 'sort'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Partial<Record<Filter, string>>;

const PAGE_SIZE = 25;

/** Findings with evidence and references, filtered by the API; the filtered set exports as CSV. */
export function FindingsPage({ query }: { query: URLSearchParams }) {
  useTitle('Findings');
  const filters: Filters = paramsOf(query, FILTERS);
  const key = JSON.stringify(filters);
  const pages = useCursorPages(key);
  const list = useLoad(
    () =>
      getJson<FindingsPageData>('/findings', {
        ...filters,
        limit: PAGE_SIZE,
        cursor: pages.cursor,
      }),
    `${key}|${pages.cursor ?? ''}`,
  );
  const summary = useLoad(() => getJson<Summary>('/summary'), 'summary');
  const set = (name: Filter, value: string | undefined) =>
    navigate(href('/findings', { ...filters, [name]: value || undefined }), { replace: true });
  const kinds = Object.keys(summary.data?.findingsByKind ?? {}).sort();

  return (
    <>
      <PageHeader
        title="Findings"
        subtitle={
          'Judged problems, most severe first, each with the evidence that raised it and the ' +
          'frameworks it maps to.'
        }
        actions={<CsvExport filters={filters} />}
      />
      <form class="filters" aria-label="Filter findings" onSubmit={(e) => e.preventDefault()}>
        <Select
          id="f-kind"
          label="Kind"
          value={filters.kind}
          onChange={(v) => set('kind', v)}
          options={kinds.map((k) => [k, humanize(k)])}
          all="All kinds"
        />
        <Select
          id="f-severity"
          label="Severity"
          value={filters.severity}
          onChange={(v) => set('severity', v)}
          options={[...SEVERITIES].reverse().map((s) => [s, s])}
          all="Any"
        />
        <Select
          id="f-status"
          label="Status"
          value={filters.status}
          onChange={(v) => set('status', v)}
          options={[
            ['closed', 'closed'],
            ['all', 'open and closed'],
          ]}
          all="open"
        />
        <Select
          id="f-sort"
          label="Order"
          value={filters.sort}
          onChange={(v) => set('sort', v)}
          options={[['openedAt', 'newest first']]}
          all="most severe first"
        />
        <SubjectFilter subject={filters.subject} set={(v) => set('subject', v)} />
      </form>
      <div class="results" aria-busy={list.loading}>
        {list.error !== undefined && <ErrorBox error={list.error} what="findings" />}
        {list.loading && !list.data && <Loading what="findings" />}
        {list.data && (
          <p class="result-count" aria-live="polite">
            {list.data.items.length === 0
              ? 'No finding'
              : `${list.data.items.length}${list.data.next ? '+' : ''} findings`}
            {describeFilters(filters)}
          </p>
        )}
        {list.data && <FindingList items={list.data.items} />}
        {list.data && (pages.hasPrevious || list.data.next) && (
          <Pager label="Findings" pages={pages} shown={list.data} />
        )}
      </div>
    </>
  );
}

function describeFilters(f: Filters): string {
  const parts = [
    f.kind && `kind ${f.kind}`,
    f.severity && `severity ${f.severity}`,
    f.status && f.status !== 'open' ? `status ${f.status}` : 'open',
  ].filter(Boolean);
  return ` · ${parts.join(', ')}`;
}

const RECORD_ID = /^(ast|idn|crd|own)_[0-9a-f]+$/;

/** The subject filter takes a record id, or any key or name, which the API resolves to an id. */
function SubjectFilter({
  subject,
  set,
}: {
  subject: string | undefined;
  set: (v: string | undefined) => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const named = useLoad(
    () =>
      subject
        ? getJson<RecordDetail>(`/records/${encodeURIComponent(subject)}`)
        : Promise.resolve(undefined),
    subject ?? '',
  );
  useEffect(() => setError(undefined), [subject]);

  const apply = async () => {
    const value = text.trim();
    if (!value) return set(undefined);
    if (RECORD_ID.test(value)) return set(value);
    try {
      const r = await getJson<RecordDetail>(`/records/${encodeURIComponent(value)}`);
      setText('');
      set(r.id);
    } catch (err) {
      setError(err instanceof ApiFailure ? `${value}: ${err.message}` : String(err));
    }
  };

  if (subject) {
    return (
      <div class="field">
        <span class="label">Subject</span>
        <span class="chip">
          <RecordLink id={subject} name={named.data?.name ?? subject} />
          <button
            type="button"
            class="chip-clear"
            aria-label="Clear the subject filter"
            onClick={() => set(undefined)}
          >
            ×
          </button>
        </span>
      </div>
    );
  }
  return (
    <div class="field field-search">
      <label for="f-subject">Subject</label>
      <div class="search-row">
        <input
          id="f-subject"
          type="search"
          value={text}
          placeholder="record name, key or id"
          aria-describedby={error ? 'f-subject-error' : undefined}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void apply();
            }
          }}
        />
        <button type="button" onClick={() => void apply()}>
          Apply
        </button>
      </div>
      {error && (
        <p id="f-subject-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Downloads every finding of the current filters as CSV (the API streams them all, beyond
 * the page shown). The token goes in a header, so the file is fetched, then saved from a Blob.
 */
function CsvExport({ filters }: { filters: Filters }) {
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const run = async () => {
    setState({ busy: true });
    try {
      const csv = await getText('/findings', { ...filters, format: 'csv' }, 'text/csv');
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `roster-findings${filters.kind ? `-${filters.kind}` : ''}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ busy: false });
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <div class="export">
      <button type="button" onClick={() => void run()} disabled={state.busy}>
        {state.busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {state.error !== undefined && <ErrorBox error={state.error} what="the export" />}
    </div>
  );
}
