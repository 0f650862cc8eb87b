import { clearSession, currentSession } from './session.js';

/** An error answer of the API: its stable code, message and request id (to quote). */
export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, requestId?: string) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

type Params = Readonly<Record<string, string | number | boolean | null | undefined>>;

let unauthorized: () => void = () => undefined;

/** Called on any 401: the session is gone, the console returns to sign-in. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

/** `/api/v1/findings?kind=x`, leaving out empty parameters. */
export function apiUrl(path: string, params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  }
  const qs = search.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

async function send(path: string, params: Params, accept: string, token?: string) {
  const bearer = token ?? currentSession()?.token;
  const headers: Record<string, string> = { accept };
  if (bearer) headers['authorization'] = `Bearer ${bearer}`;
  const res = await fetch(apiUrl(path, params), { headers, credentials: 'omit' });
  if (res.ok) return res;
  const failure = await failureOf(res);
  if (res.status === 401 && !token) {
    clearSession();
    unauthorized();
  }
  throw failure;
}

async function failureOf(res: Response): Promise<ApiFailure> {
  const requestId = res.headers.get('x-request-id') ?? undefined;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    const code = body.error?.code ?? `HTTP_${res.status}`;
    return new ApiFailure(res.status, code, body.error?.message ?? res.statusText, requestId);
  } catch {
    return new ApiFailure(res.status, `HTTP_${res.status}`, res.statusText, requestId);
  }
}

/** GET a JSON resource of the API with the session's token. */
export async function getJson<T>(path: string, params: Params = {}): Promise<T> {
  const res = await send(path, params, 'application/json');
  return (await res.json()) as T;
}

/** GET a text resource (CSV exports). */
export async function getText(path: string, params: Params, accept: string): Promise<string> {
  const res = await send(path, params, accept);
  return res.text();
}

/** Checks a pasted token before it is kept (sign-in); a 401 here does not sign anyone out. */
export async function whoIs(token: string): Promise<{ name: string; scopes: string[] }> {
  const res = await send('/me', {}, 'application/json', token);
  return (await res.json()) as { name: string; scopes: string[] };
}
