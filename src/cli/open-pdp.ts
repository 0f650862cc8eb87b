import { isAbsolute, relative } from 'node:path';
import type { App } from '../app.js';
import { openDecideApp, type DecideApp } from '../decide-app.js';
import { RosterError } from '../model/errors.js';
import { parseAsOf } from './ingest-command.js';
import type { CliContext } from './main.js';

export interface PolicyFlags {
  readonly policies?: string;
  readonly replaceDefaults?: boolean;
}

/**
 * Opens the decision point for one command, refusing a policy set that does not load: on the
 * command line a bad set is an error to fix (exit 2), not a deny.
 */
export async function openPdp(app: App, asOf: string | undefined, flags: PolicyFlags,
  ctx: CliContext): Promise<DecideApp> {
  const pdp = await openDecideApp(app, {
    clock: ctx.clock(parseAsOf(asOf)),
    ...(flags.policies ? { policyDir: flags.policies } : {}),
    ...(flags.replaceDefaults ? { replaceDefaults: true } : {}),
  });
  if (pdp.service.policies) return pdp;
  const load = pdp.reloadPolicies();
  pdp.close();
  const problems = load.ok ? [] : load.problems;
  throw new RosterError('BAD_INPUT', `the policy set does not load:\n${problems
    .map((p) => `  ${shown(p.file)}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n')}`);
}

/** A path relative to the working folder when it lies inside it (shorter in messages). */
export function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
