/**
 * The servers of the HTTP leg, each run in a child process of its own (`--serve bare|roster`)
 * so that the load generator in the parent does not share their event loop. A child prints
 * `listening <port>` once it answers, and exits when its parent closes its stdin.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { apiStoresOf, buildServer, loggerOptions } from '../../src/api-app.js';
import { openApp } from '../../src/app.js';
import { fixedClock } from '../../src/model/time.js';
import { NOW } from './estate.js';

/**
 * A server that reads the request and answers one fixed body: Roster's own AuthZEN answer to
 * the same request (decision and explanation), so that both send the same bytes.
 */
async function serveBare(answerFile: string): Promise<number> {
  const answer = readFileSync(answerFile);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8',
        'content-length': answer.length });
      res.end(answer);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** Roster as `roster serve` runs it, logging at its default level (info) to a null stream. */
async function serveRoster(db: string, config: string): Promise<number> {
  const app = await openApp({ db, config });
  const { server, readiness } = await buildServer(
    { app, stores: apiStoresOf(app), clock: fixedClock(NOW) },
    { logger: loggerOptions('info', { write: () => undefined }) },
  );
  await server.listen({ host: '127.0.0.1', port: 0 });
  readiness.markReady();
  return (server.server.address() as AddressInfo).port;
}

export async function serveChild(kind: string, db: string, config: string): Promise<void> {
  const port = kind === 'bare' ? await serveBare(join(dirname(db), 'answer.json'))
    : await serveRoster(db, config);
  process.stdout.write(`listening ${port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}
