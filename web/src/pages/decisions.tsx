import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, getJson } from '../api.js';
import type { DecisionPage } from '../api-types.js';
import { DecisionList } from '../components/decisions.js';
import { Empty, ErrorBox, Loading, PageHeader, Pager } from '../components/ui.js';
import { useCursorPages, useLoad, useTitle } from '../hooks.js';
import { href, navigate } from '../router.js';
import { Select } from './inventory.js';

const PAGE_SIZE = 50;

/** Recent access decisions: who asked for what, the outcome, and why. */
export function DecisionsPage({ query }: { query: URLSearchParams }) {
  useTitle('Decisions');
  const outcome = query.get('outcome') ?? undefined;
  const subject = query.get('subject') ?? undefined;
  const decision = outcome === 'permit' ? 'true' : outcome === 'deny' ? 'false' : undefined;
  const key = JSON.stringify({ decision, subject });
  const pages = useCursorPages(key);
  const log = useLoad(
    () =>
      getJson<DecisionPage>('/decisions', {
        decision,
        subject,
        limit: PAGE_SIZE,
        cursor: pages.cursor,
      }),
    `${key}|${pages.cursor ?? ''}`,
  );
  const set = (name: string, value: string | undefined) =>
    navigate(href('/decisions', { outcome, subject, [name]: value || undefined }), {
      replace: true,
    });
  const absent = log.error instanceof ApiFailure && log.error.status === 404;
  return (
    <>
      <PageHeader
        title="Decisions"
        subtitle={
          'Access requests answered from the inventory, newest first: outcome, reasons, ' +
          'deciding policies and the facts used.'
        }
      />
      <form class="filters" aria-label="Filter decisions" onSubmit={(e) => e.preventDefault()}>
        <Select
          id="d-outcome"
          label="Outcome"
          value={outcome}
          onChange={(v) => set('outcome', v)}
          options={[
            ['permit', 'permit'],
            ['deny', 'deny'],
          ]}
          all="Any"
        />
        <SubjectField value={subject} onApply={(v) => set('subject', v)} />
      </form>
      {absent && (
        <Empty>This server keeps no decision log: GET /api/v1/decisions is not served here.</Empty>
      )}
      {log.error !== undefined && !absent && <ErrorBox error={log.error} what="decisions" />}
      {log.loading && !log.data && <Loading what="decisions" />}
      {log.data && <DecisionList items={log.data.items} />}
      {log.data && (pages.hasPrevious || log.data.next) && (
        <Pager label="Decisions" pages={pages} shown={log.data} />
      )}
    </>
  );
}

function SubjectField(props: { value: string | undefined; onApply: (v: string) => void }) {
  const [text, setText] = useState(props.value ?? '');
  useEffect(() => setText(props.value ?? ''), [props.value]);
  return (
    <div class="field field-search">
      <label for="d-subject">Subject</label>
      <div class="search-row">
        <input
          id="d-subject"
          type="search"
          value={text}
          maxLength={500}
          placeholder="subject id as requests name it, e.g. spiffe://…"
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              props.onApply(text.trim());
            }
          }}
        />
        <button type="button" onClick={() => props.onApply(text.trim())}>
          Apply
        </button>
      </div>
    </div>
  );
}
