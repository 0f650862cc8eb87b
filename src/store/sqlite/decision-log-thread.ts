import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { DecisionLogEntry } from '../../decide/ports.js';
import { DECISION_INSERT_SQL, DECISION_PRUNE_SQL, SqliteDecisionLog, type DecisionLogOptions }
  from './decision-log.js';

/** Longest a reader waits for the writer thread to commit anything more. */
const STALL_TIMEOUT_MS = 10_000;
/** Entries handed over at once, at the latest at the end of the event-loop turn. */
const BATCH = 512;
/** Batches handed over but not yet committed before a decision waits for the writer. */
const MAX_IN_FLIGHT = 64;

/**
 * The writer thread, as plain JavaScript so that it runs the same from `dist`, tsx and the
 * tests. It owns a connection of its own, writes each batch in one transaction, prunes to
 * `maxRows`, retries while another writer holds the database, and then publishes the number
 * of the last batch it committed in shared memory (slot 0; slot 1 flags a failure).
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 20');
db.pragma('synchronous = NORMAL');
const insert = db.prepare(workerData.insertSql);
const prune = db.prepare(workerData.pruneSql);
const state = new Int32Array(workerData.state);
const queue = [];
let sincePrune = 0;
let retry;
const write = db.transaction((rows) => {
  for (const r of rows) insert.run(...r);
  sincePrune += rows.length;
  if (sincePrune >= Math.min(1000, workerData.maxRows)) {
    prune.run(workerData.maxRows - 1);
    sincePrune = 0;
  }
});
function drain() {
  retry = undefined;
  while (queue.length > 0) {
    const [seq, rows] = queue[0];
    try {
      write(rows);
    } catch (err) {
      if (err && err.code === 'SQLITE_BUSY') { retry = setTimeout(drain, 2); return; }
      Atomics.store(state, 1, 1);
      Atomics.notify(state, 0);
      throw err;
    }
    queue.shift();
    Atomics.store(state, 0, seq);
    Atomics.notify(state, 0);
  }
}
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  queue.push(m);
  if (!retry) drain();
});
`;

type Row = [string, string, number, string, string, string, string, string, string, string];

/**
 * The decision log with its writes on a thread of their own: a decision costs the caller the
 * serialisation of its entry only, and the SQLite inserts (a few kilobytes per decision) run
 * beside the decision point instead of in its way. Batches are handed over once per
 * event-loop turn; every read first waits until the thread has committed what was handed to
 * it, so a reader sees every decision made before it (as with SqliteDecisionLog).
 */
export class ThreadedDecisionLog extends SqliteDecisionLog {
  readonly #worker: Worker;
  readonly #state = new Int32Array(new SharedArrayBuffer(8));
  #pending: Row[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #sent = 0;
  #failure: Error | undefined;
  #closed = false;

  /** `reader` serves list/get/count; `path` is the database file the thread writes to. */
  constructor(reader: Database.Database, path: string, options: DecisionLogOptions = {}) {
    super(reader, options);
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        driver,
        path,
        maxRows: Math.max(1, options.maxRows ?? 100_000),
        insertSql: DECISION_INSERT_SQL,
        pruneSql: DECISION_PRUNE_SQL,
        state: this.#state.buffer,
      },
    });
    this.#worker.unref();
    this.#worker.on('error', (err) => {
      this.#failure = err;
    });
  }

  override append(entry: DecisionLogEntry): void {
    if (this.#failure || this.#closed) throw this.#unavailable();
    this.#pending.push([entry.id, entry.at, entry.decision ? 1 : 0, entry.reason,
      entry.subjectType, entry.subjectId, entry.resourceType, entry.resourceId, entry.action,
      entry.bodyJson ?? JSON.stringify(entry.body)]);
    if (this.#pending.length >= BATCH) {
      this.#handOver();
      // A writer that falls behind slows the decisions down rather than queue without bound.
      if (this.#sent - Atomics.load(this.#state, 0) > MAX_IN_FLIGHT) this.#waitFor(this.#sent - 1);
    } else {
      this.#scheduled ??= setImmediate(() => this.#handOver());
    }
  }

  /** Hands over what is buffered and waits until the thread has committed all of it. */
  override flush(): void {
    this.#handOver();
    this.#waitFor(this.#sent);
  }

  /** Waits until batch `seq` is committed, as long as the writer makes progress. */
  #waitFor(seq: number): void {
    let seen = Atomics.load(this.#state, 0);
    let since = Date.now();
    while (seen < seq) {
      if (this.#failure || Atomics.load(this.#state, 1) === 1) throw this.#unavailable();
      Atomics.wait(this.#state, 0, seen, 100);
      const now = Atomics.load(this.#state, 0);
      if (now !== seen) {
        seen = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_TIMEOUT_MS) {
        throw new Error('the decision log writer made no progress for 10 s');
      }
    }
  }

  /** Writes what is left and stops the thread. */
  close(): void {
    if (this.#closed) return;
    try {
      this.flush();
    } finally {
      this.#closed = true;
      this.#worker.postMessage('close');
    }
  }

  #handOver(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#pending.length === 0) return;
    this.#sent += 1;
    this.#worker.postMessage([this.#sent, this.#pending]);
    this.#pending = [];
  }

  #unavailable(): Error {
    const why = this.#failure?.message ?? 'the writer thread stopped';
    return new Error(`the decision log cannot be written (${why}); decisions are refused`);
  }
}
