import { corpusMissing } from './corpus.js';

/**
 * Vitest global setup: in CI, one line saying the acceptance suites were skipped and why when
 * the corpus is absent (a skip, not a failure), instead of a silent skip in every file.
 */
export default function setup(): void {
  const why = corpusMissing();
  if (why && process.env['CI'] === 'true') process.stderr.write(`note: ${why}\n`);
}
