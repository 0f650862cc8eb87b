import { useEffect, useState } from 'preact/hooks';
import { onUnauthorized } from './api.js';
import { Link } from './components/ui.js';
import { DecisionsPage } from './pages/decisions.js';
import { FindingsPage } from './pages/findings.js';
import { GraphPage } from './pages/graph.js';
import { InventoryPage } from './pages/inventory.js';
import { NotFoundPage } from './pages/not-found.js';
import { OverviewPage } from './pages/overview.js';
import { RecordPage } from './pages/record.js';
import { SignInPage } from './pages/sign-in.js';
import { href, navigate, useLocation, type Location } from './router.js';
import { clearSession, currentSession, type SessionInfo } from './session.js';

const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/inventory', label: 'Inventory' },
  { path: '/findings', label: 'Findings' },
  { path: '/decisions', label: 'Decisions' },
] as const;

function section(path: string): string {
  if (path.startsWith('/records/') || path.startsWith('/graph/')) return '/inventory';
  return path;
}

function Page({ location }: { location: Location }) {
  const { path, query } = location;
  if (path === '/') return <OverviewPage />;
  if (path === '/inventory') return <InventoryPage query={query} />;
  if (path === '/findings') return <FindingsPage query={query} />;
  if (path === '/decisions') return <DecisionsPage query={query} />;
  const record = /^\/records\/([^/]+)$/.exec(path);
  if (record) return <RecordPage id={decodeURIComponent(record[1]!)} />;
  const graph = /^\/graph\/([^/]+)$/.exec(path);
  if (graph) return <GraphPage id={decodeURIComponent(graph[1]!)} query={query} />;
  return <NotFoundPage />;
}

function Shell({ session, location }: { session: SessionInfo; location: Location }) {
  const active = section(location.path);
  const signOut = () => {
    clearSession();
    navigate('/sign-in', { replace: true });
  };
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <div class="site-header-inner">
          <Link href="/" class="brand" aria-label="Roster overview">
            <span class="brand-mark" aria-hidden="true">
              R
            </span>{' '}
            Roster
          </Link>
          <nav aria-label="Main">
            <ul class="nav">
              {NAV.map((n) => (
                <li key={n.path}>
                  <Link href={n.path} aria-current={active === n.path ? 'page' : undefined}>
                    {n.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div class="who">
            <span class="who-name" title={`scopes: ${session.scopes.join(', ')}`}>
              {session.name}
            </span>
            <button type="button" class="quiet" onClick={signOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page location={location} />
      </main>
    </>
  );
}

/** The console: sign-in until a token is kept, then the pages. */
export function App() {
  const location = useLocation();
  const [session, setSession] = useState(currentSession);

  useEffect(() => {
    onUnauthorized(() => {
      setSession(undefined);
      const back = window.location.pathname + window.location.search;
      navigate(href('/sign-in', { next: back, expired: '1' }), { replace: true });
    });
  }, []);

  useEffect(() => {
    const now = currentSession();
    if (now?.token !== session?.token) setSession(now);
  }, [location]);

  useEffect(() => {
    // Focus the new page's heading, so keyboard and screen-reader users land on it.
    const heading = document.getElementById('page-title');
    if (heading && location.path !== '/sign-in') heading.focus({ preventScroll: true });
  }, [location.path]);

  if (!session || location.path === '/sign-in') {
    const here = location.path + window.location.search;
    const next = location.path === '/sign-in' ? (location.query.get('next') ?? '/') : here;
    return (
      <SignInPage
        expired={location.query.get('expired') === '1'}
        onSignedIn={(s) => {
          setSession(s);
          navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
        }}
      />
    );
  }
  return <Shell session={session} location={location} />;
}
