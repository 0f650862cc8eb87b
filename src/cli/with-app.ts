import type { App } from '../app.js';
import type { CliContext } from './main.js';

/** Runs `fn` with the app the global options name, and closes it however `fn` ends. */
export async function withApp<T>(ctx: CliContext, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await ctx.open();
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
