/**
 * The baseline: the same records inserted raw with better-sqlite3, one table, one prepared
 * INSERT per record with its fields as JSON, all in one transaction, with the same journal
 * settings as Roster's store (WAL, synchronous NORMAL). Records are re-created by the same
 * generators that wrote the export files, in chunks; only the inserts (JSON.stringify included)
 * and the commit are timed.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { estateExports, type RawRecord } from './estate-files.js';
import { planEstate } from './estate-plan.js';
import { MemorySampler, now, type MemoryPeak } from './measure.js';

export interface BaselineResult {
  readonly seconds: number;
  /** CPU time of the timed parts (user + system). */
  readonly cpu: number;
  readonly records: number;
  readonly memory: MemoryPeak;
}

const CHUNK = 10_000;

export function runBaseline(dir: string, records: number): BaselineResult {
  const sampler = new MemorySampler();
  const db = new Database(join(dir, 'baseline.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE raw_records (seq INTEGER PRIMARY KEY, format TEXT NOT NULL,
    source_id TEXT NOT NULL, body TEXT NOT NULL)`);
  const insert = db.prepare('INSERT INTO raw_records (format, source_id, body) VALUES (?, ?, ?)');
  let timed = 0n;
  let cpu = 0;
  let count = 0;
  const measured = (fn: () => void): void => {
    const start = now();
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    cpu += (used.user + used.system) / 1e6;
    timed += now() - start;
  };
  const flush = (chunk: RawRecord[]): void => {
    measured(() => {
      for (const r of chunk) insert.run(r.format, r.id, JSON.stringify(r.fields));
    });
    count += chunk.length;
  };
  measured(() => db.exec('BEGIN'));
  for (const e of estateExports(planEstate(records))) {
    let chunk: RawRecord[] = [];
    for (const r of e.records()) {
      chunk.push(r);
      if (chunk.length >= CHUNK) {
        flush(chunk);
        chunk = [];
      }
    }
    flush(chunk);
  }
  measured(() => db.exec('COMMIT'));
  db.close();
  return { seconds: Number(timed) / 1e9, cpu, records: count, memory: sampler.stop() };
}
