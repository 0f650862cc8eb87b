import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  apiStoresOf,
  buildServer,
  loggerOptions,
  type RosterServer,
  type ServerOptions,
} from '../api-app.js';
import type { App } from '../app.js';
import { assertExecutorsReady } from '../lifecycle-app.js';
import { RosterError } from '../model/errors.js';
import { whyUnreadable } from '../model/text-file.js';
import type { ApiExtension } from '../server/extensions.js';
import { createToken } from './token-cli.js';
import type { CliContext } from './main.js';
import { projectRoot } from './project-root.js';

export interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly clientCa?: string;
  readonly corsOrigin?: string[];
  readonly logLevel: string;
  /** Create a fresh admin token of this name (revoking an older one) and print it once. */
  readonly issueAdminToken?: string;
}

export interface RunningServer {
  readonly url: string;
  readonly rs: RosterServer;
  readonly app: App;
  /** Stops taking requests, lets in-flight ones finish, then closes the database. */
  close(): Promise<void>;
}

export interface ServeExtras {
  /** Where pino writes JSON lines (default: stdout). */
  readonly logStream?: { write(line: string): void };
  readonly extensions?: readonly ApiExtension[];
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new RosterError('BAD_INPUT', `${flag}: cannot read ${path}: ${whyUnreadable(err)}`);
  }
}

function tlsOf(flags: ServeFlags): ServerOptions['tls'] {
  if (!flags.tlsCert && !flags.tlsKey) {
    if (flags.clientCa) {
      throw new RosterError('BAD_INPUT', '--client-ca needs --tls-cert and --tls-key');
    }
    return undefined;
  }
  if (!flags.tlsCert || !flags.tlsKey) {
    throw new RosterError('BAD_INPUT', '--tls-cert and --tls-key go together');
  }
  return {
    cert: readPem(flags.tlsCert, '--tls-cert'),
    key: readPem(flags.tlsKey, '--tls-key'),
    ...(flags.clientCa ? { clientCa: readPem(flags.clientCa, '--client-ca') } : {}),
  };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535) {
    throw new RosterError('BAD_INPUT', `--port must be 0-65535 (got '${text}')`);
  }
  return port;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Opens the inventory, listens, then marks the server ready once the inventory answers (the
 * first summary is computed): /readyz says 503 until then.
 */
export async function startServe(
  ctx: CliContext,
  flags: ServeFlags,
  extras: ServeExtras = {},
): Promise<RunningServer> {
  const tls = tlsOf(flags);
  const port = parsePort(flags.port);
  if (!LOG_LEVELS.includes(flags.logLevel)) {
    throw new RosterError('BAD_INPUT', `--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const app = await ctx.open();
  try {
    assertExecutorsReady(app);
    const stores = apiStoresOf(app);
    const rs = await buildServer({ app, stores, extensions: extras.extensions ?? [] }, {
      logger: loggerOptions(flags.logLevel, extras.logStream),
      corsOrigins: flags.corsOrigin ?? [],
      webRoot: join(projectRoot(), 'web', 'dist'),
      version: version(),
      ...(tls ? { tls } : {}),
    });
    const token = flags.issueAdminToken
      ? await createToken(stores, { name: flags.issueAdminToken, scopes: ['admin'], replace: true })
      : undefined;
    await rs.server.listen({ host: flags.host, port });
    const address = rs.server.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `${tls ? 'https' : 'http'}://${host}:${address.port}`;
    await stores.queries.summary();
    rs.readiness.markReady();
    rs.server.log.info({ url, db: app.dbPath }, 'ready');
    ctx.out(`Roster is serving ${app.dbPath} at ${url}/ (API ${url}/api/v1, ` +
      `reference ${url}/api/v1/docs)`);
    if (token) {
      ctx.out(`admin token '${flags.issueAdminToken}' (shown once; only its hash is stored):`);
      ctx.out(`  ${token.token}`);
    }
    let closing: Promise<void> | undefined;
    return {
      url, rs, app,
      close: () => (closing ??= (async () => {
        rs.readiness.markNotReady('shutting down');
        await rs.server.close();
        await app.close();
        rs.server.log.info('stopped: requests finished, database closed');
      })()),
    };
  } catch (err) {
    await app.close();
    throw err;
  }
}

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the HTTP API, its reference and the web console')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0: any free one)', '8080')
    .option('--tls-cert <file>', 'PEM certificate chain: serve HTTPS')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--client-ca <file>', 'PEM CA bundle: require client certificates it signed (mTLS)')
    .option('--cors-origin <origins...>', 'browser origins allowed to call the API (default none)')
    .option('--log-level <level>', 'pino level: fatal, error, warn, info, debug', 'info')
    .option('--issue-admin-token <name>', 'create a fresh admin token of this name and print it')
    .action(async (flags: ServeFlags) => {
      const running = await startServe(ctx, flags);
      await untilSignal(running);
    });
}

/** Waits for SIGINT or SIGTERM, then shuts down gracefully; a second signal stops at once. */
function untilSignal(running: RunningServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      running.rs.server.log.info({ signal }, 'shutting down');
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      running.close().then(resolve, reject);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
