import { useEffect, useState } from 'preact/hooks';

/**
 * Client-side routes over the History API: the server answers every console path with
 * index.html, and each page keeps its filters in the query string so links can be shared.
 */
const CHANGE = 'roster:navigate';

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

function read(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

export function useLocation(): Location {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return location;
}

/** The parameters of a query string among `names` that have a value, as a page's filters. */
export function paramsOf<N extends string>(
  query: URLSearchParams,
  names: readonly N[],
): Partial<Record<N, string>> {
  const out: Partial<Record<N, string>> = {};
  for (const name of names) {
    const v = query.get(name);
    if (v) out[name] = v;
  }
  return out;
}

/** `/findings?kind=x&severity=high`, leaving out empty values. */
export function href(path: string, params: Readonly<Record<string, string | undefined>> = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** A same-origin click without modifier keys becomes a client-side navigation. */
export function followLink(event: MouseEvent, to: string): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(to);
}

/** The path of a record's page. */
export function recordHref(id: string): string {
  return `/records/${encodeURIComponent(id)}`;
}

export function graphHref(id: string): string {
  return `/graph/${encodeURIComponent(id)}`;
}
