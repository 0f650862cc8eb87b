import { Link, PageHeader } from '../components/ui.js';
import { useTitle } from '../hooks.js';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <>
      <PageHeader title="Page not found" subtitle="The console has no page at this address." />
      <p>
        <Link href="/">Go to the overview</Link> or{' '}
        <Link href="/inventory">search the inventory</Link>.
      </p>
    </>
  );
}
