import { main } from '../../src/cli/main.js';

/** What one in-process run of the CLI printed, and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs the `roster` command line in process, without colour, and collects what it prints.
 *
 * @example const r = await roster('--db', db, 'assets', '-o', 'json'); // r.code === 0
 */
export async function roster(...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'roster', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    color: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
