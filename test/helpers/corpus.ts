import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared/corpus beside the project root: real files for acceptance tests, never copied. */
export const corpusDir = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
export const hasCorpus = existsSync(corpusDir);

/** Absolute paths of the corpus files in one folder (recursively), sorted. */
export function corpusFiles(folder: string, filter: (name: string) => boolean = () => true): string[] {
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
