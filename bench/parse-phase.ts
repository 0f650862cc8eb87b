/**
 * Diagnostic (`--parsers`): each export read by its format's parser alone, events counted and
 * dropped, nothing stored. Tells how much of an ingest phase the parser takes.
 */
import { join } from 'node:path';
import { fileInput } from '../src/sources/read-file.js';
import { formatByName } from '../src/sources/registry.js';
import { estateExports, FORMAT_ORDER } from './estate-files.js';
import { planEstate } from './estate-plan.js';
import { Stopwatch } from './measure.js';

export interface ParseTime {
  readonly format: string;
  readonly seconds: number;
  readonly cpu: number;
  readonly observations: number;
}

export async function runParsers(dir: string, records: number): Promise<ParseTime[]> {
  const exports = estateExports(planEstate(records));
  const out: ParseTime[] = [];
  for (const name of FORMAT_ORDER) {
    const format = formatByName(name);
    const watch = new Stopwatch();
    let observations = 0;
    for (const e of exports.filter((x) => x.format === name)) {
      const events = format.parse(fileInput(join(dir, e.file)), { timezone: 'UTC' });
      for await (const ev of events) if (ev.type === 'observation') observations++;
    }
    out.push({ format: name, ...watch.read(), observations });
  }
  return out;
}
