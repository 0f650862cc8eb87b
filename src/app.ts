/**
 * The composition root: the one place that wires adapters (store, sources, config) to the
 * core. CLI and server ask it for what they need; adapters never import each other.
 */
import { loadConfig, type RosterConfig } from './config.js';
import { registerLifecycle } from './lifecycle-app.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/port.js';

export interface AppOptions {
  readonly db?: string;
  readonly config?: string;
}

/** Called after every ingest command (CLI, API, watch) once its runs committed and were judged. */
export type AfterIngestHook = (app: App, runIds: readonly string[], now: string) => Promise<void>;

export interface App {
  readonly store: Store;
  readonly config: RosterConfig;
  readonly dbPath: string;
  /** Steps that follow an ingest: lifecycle tracking, offboarding, event delivery. */
  readonly afterIngest: AfterIngestHook[];
  close(): Promise<void>;
}

export const DEFAULT_DB = './roster.db';

/** Opens the store named by --db, ROSTER_DB or ./roster.db, migrated and ready. */
export async function openApp(options: AppOptions = {}): Promise<App> {
  const config = loadConfig(options.config ?? process.env['ROSTER_CONFIG']);
  const dbPath = options.db ?? process.env['ROSTER_DB'] ?? DEFAULT_DB;
  const store = new SqliteStore({ path: dbPath });
  await store.migrate();
  const app: App = { store, config, dbPath, afterIngest: [], close: () => store.close() };
  registerLifecycle(app);
  return app;
}
