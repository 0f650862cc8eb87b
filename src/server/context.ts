import type { FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import type { Clock } from '../model/time.js';
import type { SourceFormat } from '../sources/format.js';
import type { FormatLookup } from '../sources/pick-format.js';
import type { ApiStores } from '../store/api-port.js';
import type { ApiRouter } from './route.js';

/** The formats the ingest endpoint reads (the registry, or a test's own). */
export interface FormatCatalog extends FormatLookup {
  list(): readonly SourceFormat[];
}

/** Whether the inventory is loaded and migrated; `/readyz` and every API route ask. */
export class Readiness {
  #ready = false;
  #reason = 'starting';

  get ready(): boolean {
    return this.#ready;
  }

  get reason(): string {
    return this.#reason;
  }

  markReady(): void {
    this.#ready = true;
    this.#reason = 'ready';
  }

  markNotReady(reason: string): void {
    this.#ready = false;
    this.#reason = reason;
  }
}

/** What route modules are given. */
export interface ServerContext {
  readonly app: App;
  readonly stores: ApiStores;
  readonly formats: FormatCatalog;
  readonly clock: Clock;
  readonly readiness: Readiness;
  readonly router: ApiRouter;
  /**
   * Runs a write (ingest, a lifecycle decision) after the writes before it have finished, so
   * that two requests never interleave their runs and judgements.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Appends to the audit log on behalf of the request's token. */
  audit(
    request: FastifyRequest,
    action: string,
    target: string | null,
    details: Record<string, unknown>,
  ): Promise<void>;
}

/** A queue of writes: each starts when the previous one settled. */
export function writeQueue(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
