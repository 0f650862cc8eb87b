import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { apiStoresOf, issueToken } from '../api-app.js';
import type { App } from '../app.js';
import { RosterError } from '../model/errors.js';
import { systemClock } from '../model/time.js';
import { TOKEN_SCOPES, type ApiStores, type TokenScope } from '../store/api-port.js';
import type { CliContext } from './main.js';
import { parseOutputFormat, render } from './output.js';

/** Who acts on the command line, for the audit log. */
export function cliActor(): { actorId: string; actorName: string } {
  let name = process.env['ROSTER_ACTOR'];
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      name = 'operator';
    }
  }
  return { actorId: `cli:${name}`, actorName: name };
}

/** Scopes from `--scope read,ingest` or repeated `--scope`; each must be a known one. */
export function parseScopes(values: readonly string[]): TokenScope[] {
  const out = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (out.length === 0) throw new RosterError('BAD_INPUT', '--scope is needed');
  for (const s of out) {
    if (!(TOKEN_SCOPES as readonly string[]).includes(s)) {
      throw new RosterError('BAD_INPUT',
        `--scope: '${s}' is not a scope; use ${TOKEN_SCOPES.join(', ')}`);
    }
  }
  return [...new Set(out)] as TokenScope[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/**
 * Creates a token, audited as a command-line action, and returns its text (shown once).
 * With `replace`, a live token of the same name is revoked first (`npm start` each time).
 */
export async function createToken(
  stores: ApiStores,
  request: { name: string; scopes: readonly TokenScope[]; replace?: boolean },
): Promise<{ token: string; id: string }> {
  if (!NAME.test(request.name)) {
    throw new RosterError('BAD_INPUT',
      '--name: letters, digits and . _ @ - only, at most 64, starting with a letter or digit');
  }
  const actor = cliActor();
  const now = systemClock.now();
  if (request.replace) {
    const old = (await stores.tokens.list()).find((t) => t.name === request.name);
    if (old) {
      await stores.tokens.revoke(old.id, now);
      await stores.audit.append({ at: now, ...actor, action: 'token.revoke', target: old.id,
        requestId: null, details: { name: old.name, replacedBy: 'a new token of that name' } });
    }
  }
  const created = await issueToken(stores.tokens, {
    name: request.name, scopes: request.scopes, createdBy: actor.actorId, now,
  });
  await stores.audit.append({ at: now, ...actor, action: 'token.create', target: created.info.id,
    requestId: null, details: { name: created.info.name, scopes: [...created.info.scopes] } });
  return { token: created.token, id: created.info.id };
}

async function withStores(ctx: CliContext, fn: (s: ApiStores, app: App) => Promise<void>) {
  const app = await ctx.open();
  try {
    await fn(apiStoresOf(app), app);
  } finally {
    await app.close();
  }
}

/** `roster token create|list|revoke`: API tokens for `roster serve`. */
export function registerToken(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('API tokens for roster serve');
  token
    .command('create')
    .description('create an API token; it is printed once (only its hash is stored)')
    .requiredOption('--name <name>', 'a name to tell tokens apart (unique among live tokens)')
    .requiredOption('--scope <scopes...>',
      'read, ingest, decide or admin (admin includes the others); several: read,ingest')
    .action(async (opts: { name: string; scope: string[] }) => {
      const scopes = parseScopes(opts.scope);
      await withStores(ctx, async (stores) => {
        const created = await createToken(stores, { name: opts.name, scopes });
        ctx.err(`created token ${created.id} '${opts.name}' (${scopes.join(', ')}); ` +
          'it is shown once, below: store it now');
        ctx.out(created.token);
      });
    });
  token
    .command('list')
    .description('API tokens: id, name, scopes, created, last used (never the tokens)')
    .option('--all', 'also revoked tokens')
    .option('-o, --output <format>', 'table, json or csv', 'table')
    .action(async (opts: { all?: boolean; output?: string }) => {
      const format = parseOutputFormat(opts.output);
      await withStores(ctx, async (stores) => {
        const rows = await stores.tokens.list({ includeRevoked: opts.all === true });
        ctx.out(render(format, rows, [
          { header: 'ID', value: (t) => t.id },
          { header: 'NAME', value: (t) => t.name },
          { header: 'SCOPES', value: (t) => t.scopes.join(',') },
          { header: 'CREATED', value: (t) => t.createdAt },
          { header: 'BY', value: (t) => t.createdBy ?? '' },
          { header: 'LAST USED', value: (t) => t.lastUsedAt ?? 'never' },
          { header: 'REVOKED', value: (t) => t.revokedAt ?? '' },
        ], (t) => t, ctx.color));
      });
    });
  token
    .command('revoke')
    .description('revoke an API token by id or name; it stops working at once')
    .argument('<token>', 'token id or name')
    .action(async (ref: string) => {
      await withStores(ctx, async (stores) => {
        const now = systemClock.now();
        const revoked = await stores.tokens.revoke(ref, now);
        if (!revoked) throw new RosterError('NOT_FOUND', `no live token with id or name '${ref}'`);
        await stores.audit.append({ at: now, ...cliActor(), action: 'token.revoke',
          target: revoked.id, requestId: null, details: { name: revoked.name } });
        ctx.out(`revoked token ${revoked.id} '${revoked.name}'`);
      });
    });
}
