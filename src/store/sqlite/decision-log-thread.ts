import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { DecisionLogEntry } from '../../decide/ports.js';
import {
  DECISION_BODY_INSERT_SQL, DECISION_BODY_USE_SQL, DECISION_INSERT_SQL, DECISION_PRUNE_SQL,
  SqliteDecisionLog, pruneEvery, subjectBucket, type DecisionLogOptions,
} from './decision-log.js';

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
/**
 * Fields of an entry, in the insert's order (decision as "1" or "0"): the row's ten columns
 * (an empty body for a shared one), then the shared body's digest and JSON (both empty for an
 * inline body).
 */
const FIELDS = 12;
/** Batches handed over but not yet committed before a decision waits for the writer. */
const MAX_IN_FLIGHT = 64;
/** Batches the writer commits at most in one transaction (at most 8 MiB). */
const GROUP = 8;
/**
 * Shared bodies the writer keeps in memory per generation. Both sides keep the same two
 * generations of digests, in lockstep: the caller sends a body's JSON with the first entry
 * that names it (and again once both generations have moved past it); the writer keeps each
 * JSON it receives and turns a generation over when the caller does, at the same entry.
 */
const KNOWN = 1024;

/**
 * The writer thread, as plain JavaScript so that it runs the same from `dist`, tsx and the
 * tests. It owns a connection of its own and commits what is queued, up to GROUP batches, in
 * one transaction: a commit writes every page it dirtied, so a writer that has fallen behind
 * catches up with fewer, larger commits. It prunes to `maxRows`, retries while another writer
 * holds the database, and then publishes the number of the last batch it committed in shared
 * memory (slot 0; slot 1 flags a failure).
 *
 * A shared body goes in with the row that names it (INSERT OR IGNORE), so that a row never
 * names a body a prune has just removed. The writer skips that for the bodies it has itself
 * stored since its last prune, unless another connection committed since (which may have
 * pruned: \`PRAGMA data_version\` moved). The caller sends a body's JSON only while the
 * writer does not hold it (KNOWN); the writer takes it from memory otherwise.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const subjectBucket = ${subjectBucket.toString()};
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 20');
db.pragma('synchronous = NORMAL');
const sql = workerData.sql;
const insert = db.prepare(sql.insert);
const insertBody = db.prepare(sql.insertBody);
const use = db.prepare(sql.use);
const oldestKept = db.prepare(sql.prune.oldestKept).pluck();
const pruneRows = db.prepare(sql.prune.rows);
const pruneBodies = db.prepare(sql.prune.bodies);
const pruneUses = db.prepare(sql.prune.uses);
const dataVersion = db.prepare('PRAGMA data_version').pluck();
const state = new Int32Array(workerData.state);
const queue = [];
const stored = new Set();
let known = new Map();
let knownOld = new Map();
function bodyOf(e) {
  const json = e[13] ?? known.get(e[10]) ?? knownOld.get(e[10]);
  if (json === undefined) throw new Error('a shared decision body was named before it was sent');
  return json;
}
let version;
let sincePrune = 0;
// The drain to come: at the end of this turn, once every batch already sent is queued, or
// after a busy database.
let pending;
// Commits a group of batches; returns the bodies it stored, or null when it pruned.
const write = db.transaction((group) => {
  const v = dataVersion.get();
  if (v !== version) stored.clear();
  version = v;
  const added = [];
  const newest = new Map();
  let rows = 0;
  for (const batch of group) {
    for (const e of batch.entries) {
      const digest = e[10];
      if (digest !== '') {
        if (!stored.has(digest) && !newest.has(digest)) {
          insertBody.run(digest, bodyOf(e));
          added.push(digest);
        }
        const last = newest.get(digest);
        if (last === undefined || last < e[0]) newest.set(digest, e[0]);
      }
      insert.run(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], e[8], e[9],
        digest === '' ? null : digest, subjectBucket(e[5]));
    }
    rows += batch.entries.length;
  }
  for (const [digest, id] of newest) use.run(digest, id);
  sincePrune += rows;
  if (sincePrune < workerData.pruneEvery) return added;
  sincePrune = 0;
  const oldest = oldestKept.get(workerData.maxRows - 1);
  if (oldest === undefined) return added;
  pruneRows.run(oldest);
  pruneBodies.run(oldest);
  pruneUses.run(oldest);
  return null;
}).immediate;
function drain() {
  pending = undefined;
  while (queue.length > 0) {
    const group = queue.slice(0, workerData.group);
    let added;
    try {
      added = write(group);
    } catch (err) {
      if (err && err.code === 'SQLITE_BUSY') { pending = setTimeout(drain, 2); return; }
      Atomics.store(state, 1, 1);
      Atomics.notify(state, 0);
      throw err;
    }
    if (added === null) stored.clear();
    else for (const d of added) stored.add(d);
    queue.splice(0, group.length);
    Atomics.store(state, 0, group[group.length - 1].seq);
    Atomics.notify(state, 0);
  }
}
// A batch: [seq, ArrayBuffer, bytes used, entries], each field a u32 byte length and its
// UTF-8. The last field is a shared body's JSON when the caller sent it (see KNOWN): decoded
// and kept in order, as the caller counts, so that both turn a generation over together.
function decode(ab, used, count) {
  const buf = Buffer.from(ab, 0, used);
  const entries = [];
  let at = 0;
  for (let r = 0; r < count; r++) {
    const e = new Array(workerData.fields + 2);
    for (let f = 0; f < workerData.fields - 1; f++) {
      const n = buf.readUInt32LE(at);
      e[f] = buf.toString('utf8', at + 4, at + 4 + n);
      at += 4 + n;
    }
    const n = buf.readUInt32LE(at);
    if (e[10] !== '' && n > 0) {
      e[13] = buf.toString('utf8', at + 4, at + 4 + n);
      if (known.size >= workerData.known) {
        knownOld = known;
        known = new Map();
      }
      known.set(e[10], e[13]);
    }
    at += 4 + n;
    e[2] = e[2] === '1' ? 1 : 0;
    entries.push(e);
  }
  return { buf, entries };
}
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    Atomics.store(state, 2, 1);
    Atomics.notify(state, 2);
    parentPort.close();
    return;
  }
  queue.push({ seq: m[0], ...decode(m[1], m[2], m[3]) });
  pending ??= setImmediate(drain);
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
  /** Digests whose JSON the writer holds, two generations in lockstep with its own (KNOWN). */
  #known = new Set<string>();
  #knownOld = new Set<string>();

  /** `reader` serves list/get/count; `path` is the database file the thread writes to. */
  constructor(reader: Database.Database, path: string, options: DecisionLogOptions = {}) {
    super(reader, options);
    const maxRows = Math.max(1, options.maxRows ?? 100_000);
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: {
        driver,
        path,
        maxRows,
        pruneEvery: pruneEvery(maxRows),
        sql: {
          insert: DECISION_INSERT_SQL,
          insertBody: DECISION_BODY_INSERT_SQL,
          use: DECISION_BODY_USE_SQL,
          prune: DECISION_PRUNE_SQL,
        },
        fields: FIELDS,
        group: GROUP,
        known: KNOWN,
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
    const shared = entry.shared;
    this.#put(shared ? '' : entry.bodyJson ?? JSON.stringify(entry.body));
    this.#put(shared?.digest ?? '');
    this.#put(shared ? this.#unknownJson(shared) : '');
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

  /** A shared body's JSON if the writer does not hold it (then it will), else ''. */
  #unknownJson(shared: NonNullable<DecisionLogEntry['shared']>): string {
    const digest = shared.digest;
    if (this.#known.has(digest) || this.#knownOld.has(digest)) return '';
    if (this.#known.size >= KNOWN) {
      this.#knownOld = this.#known;
      this.#known = new Set();
    }
    this.#known.add(digest);
    return shared.json;
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
