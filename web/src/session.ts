/**
 * The signed-in token. It lives in sessionStorage: gone when the tab closes, never written to
 * localStorage, a cookie or the URL, and cleared by signing out or by any 401.
 */
const KEY = 'roster.token';

export interface SessionInfo {
  readonly token: string;
  readonly name: string;
  readonly scopes: readonly string[];
}

export function currentSession(): SessionInfo | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<SessionInfo>;
    if (typeof parsed.token !== 'string' || typeof parsed.name !== 'string') return undefined;
    return { token: parsed.token, name: parsed.name, scopes: parsed.scopes ?? [] };
  } catch {
    return undefined;
  }
}

export function saveSession(info: SessionInfo): void {
  sessionStorage.setItem(KEY, JSON.stringify(info));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
