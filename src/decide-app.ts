/**
 * Composition of the decision point (issue 3): wires the decide core to SQLite (facts feed,
 * decision log), to the policy files and the trust bundles. Part of the composition root.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { App } from './app.js';
import { projectRoot } from './cli/project-root.js';
import { loadPolicySet, type PolicyLoad, type PolicySource } from './decide/cedar/policy-set.js';
import { DEFAULT_DECIDE_CONFIG, type DecideConfig } from './decide/config.js';
import { ProofVerifier } from './decide/proof/proof.js';
import { parseTrustBundle } from './decide/proof/trust-bundle.js';
import { DecisionService } from './decide/service.js';
import { RosterError } from './model/errors.js';
import { readTextFile } from './model/text-file.js';
import { systemClock, type Clock } from './model/time.js';
import { SqliteFactsFeed } from './store/sqlite/decision-facts.js';
import { SqliteDecisionLog } from './store/sqlite/decision-log.js';
import { ThreadedDecisionLog } from './store/sqlite/decision-log-thread.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

export interface DecideApp {
  readonly service: DecisionService;
  readonly log: SqliteDecisionLog;
  readonly config: DecideConfig;
  /** Reads the policy files again; a bad set is refused and the last good one stays. */
  reloadPolicies(): PolicyLoad;
  /** Flushes the decision log and closes the connections this opened. */
  close(): void;
}

export interface DecideAppOptions {
  readonly clock?: Clock;
  /** Overrides decide.policyDir (e.g. `roster policy test --policies`). */
  readonly policyDir?: string;
  readonly replaceDefaults?: boolean;
}

/** The folder of Roster's shipped schema and default policies. */
export const DEFAULT_POLICY_DIR = join(projectRoot(), 'policies');

/**
 * Opens the decision point over an app's store. A file database gets connections of its own
 * (reading facts never waits on an ingest, and the log never joins an ingest's transaction);
 * an in-memory one shares the store's connection.
 */
export async function openDecideApp(app: App, options: DecideAppOptions = {}): Promise<DecideApp> {
  if (!(app.store instanceof SqliteStore)) {
    throw new RosterError('CONFIG', 'the decision point reads the SQLite store only so far');
  }
  const config = { ...(app.config.decide ?? DEFAULT_DECIDE_CONFIG) };
  // Read before any connection or thread is opened: a bundle missing or bad leaves none behind.
  const proofs = new ProofVerifier(readBundles(config), config.jwtAudiences);
  const shared = app.dbPath === ':memory:' || app.dbPath === '';
  const reader = shared ? app.store.connection : new Database(app.dbPath, { readonly: true });
  const writer = shared ? app.store.connection : new Database(app.dbPath);
  if (!shared) {
    writer.pragma('busy_timeout = 20');
    // As the store's own connection: in WAL mode a commit need not wait for an fsync.
    writer.pragma('synchronous = NORMAL');
  }
  // A file database's log is written on a thread of its own, off the decisions' path.
  const logOptions = { maxRows: config.logMaxRows };
  const log = shared ? new SqliteDecisionLog(writer, logOptions)
    : new ThreadedDecisionLog(writer, app.dbPath, logOptions);
  const service = await DecisionService.open({
    feed: new SqliteFactsFeed(reader, { sharedConnection: shared }),
    judge: app.config.judge,
    clock: options.clock ?? systemClock,
    proofs,
    log,
    maxStalenessHours: config.maxStalenessHours,
  });
  const policyDir = options.policyDir ?? config.policyDir;
  const replace = options.replaceDefaults ?? config.replaceDefaults;
  const reloadPolicies = (): PolicyLoad => service.usePolicies(readPolicies(policyDir, replace));
  reloadPolicies();
  return {
    service,
    log,
    config,
    reloadPolicies,
    close: () => {
      if (log instanceof ThreadedDecisionLog) log.close();
      else log.flush();
      if (!shared) {
        reader.close();
        writer.close();
      }
    },
  };
}

/** The decision log of an app's store, to read (`roster decisions`) without the facts index. */
export function decisionLogOf(app: App): SqliteDecisionLog {
  if (!(app.store instanceof SqliteStore)) {
    throw new RosterError('CONFIG', 'the decision log is kept in the SQLite store only so far');
  }
  return new SqliteDecisionLog(app.store.connection);
}

/**
 * The schema and policy files in force: Roster's defaults, plus (or, with `replace`, instead
 * of) the `*.cedar` files of `dir`; a `*.cedarschema` in `dir` replaces the default schema.
 */
export function readPolicies(dir: string | undefined, replace = false): PolicyLoad {
  let schema = readSource(join(DEFAULT_POLICY_DIR, 'roster.cedarschema'));
  const files: PolicySource[] = replace && dir ? [] : cedarFiles(DEFAULT_POLICY_DIR);
  if (dir) {
    const full = resolve(dir);
    if (!existsSync(full)) {
      return { ok: false, problems: [{ file: full, message: 'policy folder not found' }] };
    }
    const own = readdirSync(full).filter((f) => f.endsWith('.cedarschema')).sort();
    if (own.length > 1) {
      return { ok: false, problems: [{ file: full, message: 'more than one .cedarschema file' }] };
    }
    if (own[0]) schema = readSource(join(full, own[0]));
    files.push(...cedarFiles(full));
  }
  return loadPolicySet(schema, files);
}

function cedarFiles(dir: string): PolicySource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cedar'))
    .sort()
    .map((f) => readSource(join(dir, f)));
}

function readSource(file: string): PolicySource {
  return { file, text: readFileSync(file, 'utf8') };
}

function readBundles(config: DecideConfig) {
  return config.trustBundles.map((b) =>
    parseTrustBundle(b.trustDomain, readTextFile(b.path, 'trust bundle'), b.path),
  );
}
