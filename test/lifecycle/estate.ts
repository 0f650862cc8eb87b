import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { roster, type CliResult } from '../helpers/cli.js';

/** The example estate; tests derive modified exports from it and never edit it. */
export const ESTATE = join(process.cwd(), 'examples', 'estate');

export interface Cli {
  readonly dir: string;
  readonly db: string;
  readonly config: string;
  run(...args: string[]): Promise<CliResult>;
  json<T>(...args: string[]): Promise<T>;
  /** Writes a file into the test's folder and returns its path. */
  file(name: string, text: string): string;
}

/** A fresh database and config in a temporary folder, with the CLI run in process. */
export function cli(configYaml = ''): Cli {
  const dir = mkdtempSync(join(tmpdir(), 'roster-lifecycle-'));
  const db = join(dir, 'roster.db');
  const config = join(dir, 'roster.config.yaml');
  writeFileSync(config, configYaml);
  const run = (...args: string[]) => roster('--db', db, '--config', config, ...args);
  return {
    dir,
    db,
    config,
    run,
    async json<T>(...args: string[]) {
      const r = await run(...args, '-o', 'json');
      if (r.code !== 0) throw new Error(`roster ${args.join(' ')}: ${r.err}`);
      return JSON.parse(r.out) as T;
    },
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
  };
}

/** An example export with some lines changed. */
export function edited(file: string, edit: (line: string) => string): string {
  return readFileSync(join(ESTATE, file), 'utf8').split('\n').map(edit).join('\n');
}

/** The CMDB export with the install and operational status of one CI replaced. */
export function cmdbWith(name: string, from: string, to: string): string {
  return edited('cmdb-servers.csv', (l) => (l.split(',')[1] === name ? l.replace(from, to) : l));
}
