import type { App } from '../../app.js';
import { openDecideApp, type DecideApp } from '../../decide-app.js';
import type { Clock } from '../../model/time.js';

interface Holder {
  readonly pdp: Promise<DecideApp>;
  users: number;
}

const held = new WeakMap<App, Holder>();

/**
 * The one decision point of an app, opened by the first part of the server that needs it
 * (the AuthZEN endpoints, the decision log route) and shared by the others: one index of
 * facts, one policy set, one log buffer. Each `acquire` is matched by a `release`; the last
 * release flushes the log and closes the connections.
 */
export function acquireDecideApp(app: App, clock: Clock): Promise<DecideApp> {
  let h = held.get(app);
  if (!h) {
    h = { pdp: openDecideApp(app, { clock }), users: 0 };
    held.set(app, h);
    // A failed open is not kept: the next server gets a fresh attempt.
    h.pdp.catch(() => held.delete(app));
  }
  h.users += 1;
  return h.pdp;
}

export async function releaseDecideApp(app: App): Promise<void> {
  const h = held.get(app);
  if (!h) return;
  h.users -= 1;
  if (h.users > 0) return;
  held.delete(app);
  (await h.pdp).close();
}
