/**
 * Composition of the HTTP server (issue 6): wires the server to the SQLite tables of tokens,
 * the audit log and the API's read queries. Part of the composition root (app.ts).
 */
import type { App } from './app.js';
import { RosterError } from './model/errors.js';
import type { ApiStores } from './store/api-port.js';
import { SqliteAuditLog, SqliteTokenStore } from './store/sqlite/api-access.js';
import { SqliteInventoryQueries } from './store/sqlite/api-queries.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

export { buildServer, type RosterServer, type ServerDeps } from './server/server.js';
export { issueToken } from './server/auth/token-secret.js';
export { DEFAULT_SERVER_OPTIONS, loggerOptions, type ServerOptions } from './server/options.js';

/** The server's stores over an app's database (SQLite so far). */
export function apiStoresOf(app: App): ApiStores {
  if (!(app.store instanceof SqliteStore)) {
    throw new RosterError('CONFIG', 'the API tables exist only for the SQLite store so far');
  }
  const db = app.store.connection;
  return {
    tokens: new SqliteTokenStore(db),
    audit: new SqliteAuditLog(db),
    queries: new SqliteInventoryQueries(db),
  };
}
