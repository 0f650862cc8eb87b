import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { DecisionLogEntry } from '../../decide/ports.js';
import { DECISION_INSERT_SQL, DECISION_PRUNE_SQL, SqliteDecisionLog, type DecisionLogOptions }
  from './decision-log.js';

/** Longest a reader waits for the writer thread to commit anything more. */
const STALL_TIMEOUT_MS = 10_000;
/** How long closing waits for the thread to close its connection. */
const CLOSE_WAIT_MS = 5_000;
/** Entries handed over at once at most. */
const BATCH = 512;
/**
 * Longest an entry waits to be handed over. A server decides a few requests per event-loop
 * turn; handing over every turn made the writer commit as often, and each commit moves
 * `PRAGMA data_version`, which the facts feed then has to look behind on the next decision.
 * Readers of the log (list, get, count) hand over and wait first, so they never miss one.
 */
const HAND_OVER_MS = 5;
/** Encoded bytes handed over at once: what a batch holds is off the heap, but not unbounded. */
const BATCH_BYTES = 1024 * 1024;
/**
 * Smallest batch buffer. The next one is made twice the size the last one needed (up to
 * BATCH_BYTES): a server hands over a few entries per turn, a burst of decisions fills a
 * megabyte, and neither allocates or copies much more than it uses.
 */
const MIN_BYTES = 64 * 1024;
/** Fields of a row, in the insert's order (decision as "1" or "0"). */
const FIELDS = 10;
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
// A batch: [seq, ArrayBuffer, bytes used, rows], each field a u32 byte length and its UTF-8.
function decode(ab, used, count) {
  const buf = Buffer.from(ab, 0, used);
  const rows = [];
  let at = 0;
  for (let r = 0; r < count; r++) {
    const row = new Array(workerData.fields);
    for (let f = 0; f < row.length; f++) {
      const n = buf.readUInt32LE(at);
      row[f] = buf.toString('utf8', at + 4, at + 4 + n);
      at += 4 + n;
    }
    row[2] = row[2] === '1' ? 1 : 0;
    rows.push(row);
  }
  return rows;
}
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    Atomics.store(state, 2, 1);
    Atomics.notify(state, 2);
    parentPort.close();
    return;
  }
  queue.push([m[0], decode(m[1], m[2], m[3])]);
  if (!retry) drain();
});
`;

/**
 * The decision log with its writes on a thread of their own: a decision costs the caller the
 * serialisation of its entry only, and the SQLite inserts (a few kilobytes per decision) run
 * beside the decision point instead of in its way. Each entry is encoded into the batch's
 * buffer as it comes (UTF-8, off the heap), and the buffer is transferred, not copied, to the
 * thread: the entries a batch waits with are nothing the collector copies or walks. Batches
 * are handed over every few milliseconds, or sooner when full; every read first waits until
 * the thread has committed what was handed to it, so a reader sees every decision made before
 * it (as with SqliteDecisionLog).
 */
export class ThreadedDecisionLog extends SqliteDecisionLog {
  readonly #worker: Worker;
  /** [0] the last committed batch, [1] 1 once the writer failed, [2] 1 once it closed. */
  readonly #state = new Int32Array(new SharedArrayBuffer(12));
  #batch = Buffer.allocUnsafeSlow(MIN_BYTES);
  #used = 0;
  #rows = 0;
  #scheduled: NodeJS.Timeout | undefined;
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
        fields: FIELDS,
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
    this.#put(entry.id);
    this.#put(entry.at);
    this.#put(entry.decision ? '1' : '0');
    this.#put(entry.reason);
    this.#put(entry.subjectType);
    this.#put(entry.subjectId);
    this.#put(entry.resourceType);
    this.#put(entry.resourceId);
    this.#put(entry.action);
    this.#put(entry.bodyJson ?? JSON.stringify(entry.body));
    this.#rows += 1;
    if (this.#rows >= BATCH || this.#used >= BATCH_BYTES) {
      this.#handOver();
      // A writer that falls behind slows the decisions down rather than queue without bound.
      if (this.#sent - Atomics.load(this.#state, 0) > MAX_IN_FLIGHT) this.#waitFor(this.#sent - 1);
    } else {
      this.#scheduled ??= setTimeout(() => this.#handOver(), HAND_OVER_MS);
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
      // Until the thread has closed its connection, the database's -wal and -shm files are
      // still in use: a caller that removes or copies the database right after must not race it.
      if (!this.#failure) Atomics.wait(this.#state, 2, 0, CLOSE_WAIT_MS);
    }
  }

  /** Appends one field: its UTF-8 byte length (u32) and its bytes. */
  #put(text: string): void {
    const most = 4 + text.length * 3;
    if (this.#used + most > this.#batch.length) this.#grow(most);
    const n = this.#batch.write(text, this.#used + 4, 'utf8');
    this.#batch.writeUInt32LE(n, this.#used);
    this.#used += 4 + n;
  }

  #grow(needed: number): void {
    let size = this.#batch.length * 2;
    while (size < this.#used + needed) size *= 2;
    const bigger = Buffer.allocUnsafeSlow(size);
    this.#batch.copy(bigger, 0, 0, this.#used);
    this.#batch = bigger;
  }

  #handOver(): void {
    if (this.#scheduled) clearTimeout(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#rows === 0) return;
    this.#sent += 1;
    const data = this.#batch.buffer;
    this.#worker.postMessage([this.#sent, data, this.#used, this.#rows], [data]);
    const next = Math.min(BATCH_BYTES, Math.max(MIN_BYTES, this.#used * 2));
    this.#batch = Buffer.allocUnsafeSlow(next);
    this.#used = 0;
    this.#rows = 0;
  }

  #unavailable(): Error {
    const why = this.#failure?.message ?? 'the writer thread stopped';
    return new Error(`the decision log cannot be written (${why}); decisions are refused`);
  }
}
