import { ApiFailure, getJson } from '../api.js';
import type { DecisionPage } from '../api-types.js';
import { DecisionList, isPermit } from '../components/decisions.js';
import { Empty, ErrorBox, Loading, PageHeader, Pager } from '../components/ui.js';
import { useCursorPages, useLoad, useTitle } from '../hooks.js';
import { href, navigate } from '../router.js';
import { Select } from './inventory.js';

const PAGE_SIZE = 50;

/** Recent access decisions: who asked for what, the outcome, and why. */
export function DecisionsPage({ query }: { query: URLSearchParams }) {
  useTitle('Decisions');
  const outcome = query.get('outcome') ?? undefined;
  const pages = useCursorPages('decisions');
  const log = useLoad(
    () => getJson<DecisionPage>('/decisions', { limit: PAGE_SIZE, cursor: pages.cursor }),
    pages.cursor ?? '',
  );
  const absent = log.error instanceof ApiFailure && log.error.status === 404;
  const items = (log.data?.items ?? []).filter(
    (d) => outcome === undefined || (outcome === 'permit') === isPermit(d),
  );
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
          label="Outcome (this page)"
          value={outcome}
          onChange={(v) => navigate(href('/decisions', { outcome: v }), { replace: true })}
          options={[
            ['permit', 'permit'],
            ['deny', 'deny'],
          ]}
          all="Any"
        />
      </form>
      {absent && (
        <Empty>
          This server keeps no decision log: GET /api/v1/decisions is not served. Decisions appear
          here once the decision endpoints are enabled.
        </Empty>
      )}
      {log.error !== undefined && !absent && <ErrorBox error={log.error} what="decisions" />}
      {log.loading && !log.data && <Loading what="decisions" />}
      {log.data && <DecisionList items={items} />}
      {log.data && (
        <Pager
          label="Decisions"
          page={pages.page}
          shown={items.length}
          hasPrevious={pages.hasPrevious}
          hasNext={Boolean(log.data.next)}
          onPrevious={pages.previous}
          onNext={() => log.data?.next && pages.next(log.data.next)}
        />
      )}
    </>
  );
}
