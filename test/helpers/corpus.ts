import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real exports for the acceptance tests, never copied into the project: `ROSTER_CORPUS` when
 * set, else ../shared/corpus beside the project root.
 */
export const corpusDir = process.env['ROSTER_CORPUS']
  ? resolve(process.env['ROSTER_CORPUS'])
  : fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
export const hasCorpus = existsSync(corpusDir);

/** Why the acceptance suites are skipped, or undefined when the corpus is there. */
export function corpusMissing(): string | undefined {
  if (hasCorpus) return undefined;
  const from = process.env['ROSTER_CORPUS'] ? ' (from ROSTER_CORPUS)' : '';
  return `acceptance suites (test/acceptance) skipped: no corpus at ${corpusDir}${from}; ` +
    'set ROSTER_CORPUS=/path/to/corpus to run them';
}

/** Absolute paths of the corpus files in one folder (recursively), sorted. */
export function corpusFiles(
  folder: string,
  filter: (name: string) => boolean = () => true,
): string[] {
  const root = join(corpusDir, folder);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (filter(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

export function corpusPath(...parts: string[]): string {
  return join(corpusDir, ...parts);
}
