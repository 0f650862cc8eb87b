import { useState } from 'preact/hooks';
import { ApiFailure, whoIs } from '../api.js';
import { useTitle } from '../hooks.js';
import { saveSession, type SessionInfo } from '../session.js';

/**
 * Sign-in with an API token (`roster token create`, or the one `npm start` prints). The token
 * is checked against GET /api/v1/me, then kept in this tab's sessionStorage only.
 */
export function SignInPage(props: { expired: boolean; onSignedIn: (s: SessionInfo) => void }) {
  useTitle('Sign in');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Paste an API token first.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const me = await whoIs(value);
      if (!me.scopes.includes('read') && !me.scopes.includes('admin')) {
        setError(
          `This token has scope ${me.scopes.join(', ')}; the console needs a token with ` +
            "scope 'read' (or 'admin').",
        );
        return;
      }
      const session = { token: value, name: me.name, scopes: me.scopes };
      saveSession(session);
      setToken('');
      props.onSignedIn(session);
    } catch (err) {
      setError(signInError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <div class="sign-in-card">
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true">
            R
          </span>{' '}
          Roster
        </div>
        <h1 id="page-title">Sign in</h1>
        <p class="subtitle">
          The inventory of assets, identities and credentials. Sign in with an API token.
        </p>
        {props.expired && !error && (
          <p class="notice" role="status">
            Your session ended (the token was refused). Sign in again.
          </p>
        )}
        <form onSubmit={submit} noValidate>
          <label for="token">API token</label>
          <input
            id="token"
            name="token"
            type="password"
            autoComplete="off"
            spellcheck={false}
            placeholder="rst_…"
            value={token}
            onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)}
            aria-describedby="token-help"
            aria-invalid={error ? true : undefined}
            autoFocus
          />
          <p id="token-help" class="help">
            Create one with <code>npx roster token create --name you --scope read</code>;{' '}
            <code>npm start</code> prints one for the example estate. It is kept in this tab only
            and cleared when you sign out.
          </p>
          {error && (
            <p class="field-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}

function signInError(err: unknown): string {
  if (err instanceof ApiFailure) {
    if (err.status === 401)
      return 'This token was not accepted: it is unknown, revoked or mistyped.';
    if (err.status === 429) return 'Too many attempts; wait a minute and try again.';
    return `${err.message} (${err.code})`;
  }
  return 'The Roster server could not be reached.';
}
