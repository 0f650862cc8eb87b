import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { apiStoresOf, buildServer, issueToken, type RosterServer } from '../../src/api-app.js';
import { openApp, type App } from '../../src/app.js';
import { main } from '../../src/cli/main.js';
import type { ApiStores } from '../../src/store/api-port.js';

/**
 * What the browser tests run against: the example estate in a temporary database, the real
 * server in this process with the built console, and Debian's Chromium driven by
 * playwright-core (no browser download).
 */
export const ROOT = resolve(import.meta.dirname, '..', '..');
export const WEB_ROOT = join(ROOT, 'web', 'dist');
export const ARTEFACTS = join(ROOT, 'test-results', 'browser');
export const CHROMIUM = process.env['ROSTER_CHROMIUM'] ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--no-first-run',
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return (
    `Chromium not found at ${CHROMIUM}: install Debian's package ('apt-get install -y ` +
    "chromium', as .ci/run does) or point ROSTER_CHROMIUM at a Chromium binary"
  );
}

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds web/dist unless it is newer than every source of the console. */
export function ensureConsoleBuilt(): void {
  const index = join(WEB_ROOT, 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) =>
    join(ROOT, 'web', p),
  );
  const newest = Math.max(...sources.filter(existsSync).map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  for (let attempt = 1; ; attempt++) {
    const run = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (run.status === 0) return;
    // Vite refuses to build while another build of the same project runs (`npm run build`
    // in another shell): wait for it rather than fail.
    const busy = /another Vite build process/i.test(`${run.stdout}${run.stderr}`);
    if (!busy || attempt === 10) {
      throw new Error(`the console build failed:\n${run.stdout}\n${run.stderr}`);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
  }
}

export interface Estate {
  readonly app: App;
  readonly stores: ApiStores;
  readonly roster: RosterServer;
  readonly baseUrl: string;
  readonly token: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Loads the example estate (as `roster demo` does), serves it, and starts Chromium. */
export async function startEstate(): Promise<Estate> {
  const dir = mkdtempSync(join(tmpdir(), 'roster-browser-'));
  const db = join(dir, 'roster.db');
  const err: string[] = [];
  const code = await main(['node', 'roster', '--db', db, 'demo'], {
    out: () => undefined,
    err: (t) => err.push(t),
    color: false,
  });
  if (code !== 0) throw new Error(`roster demo failed (${code}): ${err.join('\n')}`);

  const app = await openApp({ db });
  const stores = apiStoresOf(app);
  const { token } = await issueToken(stores.tokens, {
    name: 'browser-test',
    scopes: ['read'],
    createdBy: null,
    now: new Date().toISOString(),
  });
  const roster = await buildServer({ app, stores }, { webRoot: WEB_ROOT, checkResponses: true });
  roster.readiness.markReady();
  const baseUrl = await roster.server.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  mkdirSync(ARTEFACTS, { recursive: true });
  return {
    app,
    stores,
    roster,
    baseUrl,
    token,
    browser,
    close: async () => {
      await browser.close();
      await roster.server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET from the API with the test's token, for the values the console should show. */
export async function apiGet<T>(estate: Estate, path: string): Promise<T> {
  const res = await fetch(`${estate.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${estate.token}` },
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
