import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
}

/**
 * Runs `load` whenever `key` changes and keeps the newest answer only, so a slow answer to an
 * older filter never replaces a newer one.
 */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  useEffect(() => {
    let current = true;
    setState((s) => ({ data: s.data, error: undefined, loading: true }));
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => current && setState({ data: undefined, error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return state;
}

/** Sets the tab's title for the page shown. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Roster` : 'Roster';
  }, [title]);
}

export interface CursorPages {
  /** The cursor of the page shown (undefined: the first). */
  readonly cursor: string | undefined;
  readonly page: number;
  readonly hasPrevious: boolean;
  next(cursor: string): void;
  previous(): void;
}

/**
 * Paging over an API cursor. The API only gives the way forward (`next`), so the cursors of
 * the pages already passed are kept to go back; a change of `filterKey` starts again at page 1.
 */
export function useCursorPages(filterKey: string): CursorPages {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: filterKey,
    stack: [undefined],
  });
  const stack = state.key === filterKey ? state.stack : [undefined];
  if (state.key !== filterKey) setState({ key: filterKey, stack });
  return {
    cursor: stack[stack.length - 1],
    page: stack.length,
    hasPrevious: stack.length > 1,
    next: (cursor) => setState({ key: filterKey, stack: [...stack, cursor] }),
    previous: () =>
      setState({ key: filterKey, stack: stack.length > 1 ? stack.slice(0, -1) : stack }),
  };
}
