/**
 * Composition of the lifecycle (issue #5): wires the lifecycle core to its SQLite tables and to
 * the executors, and registers the after-ingest step. Part of the composition root (app.ts).
 */
import type { App } from './app.js';
import {
  commandDeliverer,
  drainOutbox,
  webhookDeliverer,
  type Deliverer,
} from './executors/index.js';
import type { DrainResult } from './executors/outbox.js';
import { advancePlans, takeDelivery, type AdvanceReport } from './lifecycle/advance.js';
import { DEFAULT_LIFECYCLE_CONFIG, type LifecycleConfig } from './lifecycle/config.js';
import { holdRetirements, type OperatorContext } from './lifecycle/operator.js';
import { queueActions, queueChangeEvents } from './lifecycle/queue.js';
import { trackTransitions, type TrackReport } from './lifecycle/track.js';
import { RosterError } from './model/errors.js';
import { SqliteLifecycleStore } from './store/sqlite/lifecycle-store.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

export interface CycleReport {
  readonly tracked: TrackReport;
  readonly advanced: AdvanceReport;
  readonly queued: number;
  readonly drained: DrainResult;
}

/** The lifecycle as the CLI, the server and `roster watch` use it. */
export interface LifecycleService {
  readonly ctx: OperatorContext;
  /**
   * One step at `now`: record transitions, plan offboarding, confirm and expire actions,
   * queue actions and change events, and deliver what is due.
   */
  cycle(now: string): Promise<CycleReport>;
  /** Delivers what is due in the outbox, then takes the deliveries into the plans. */
  deliver(now: string): Promise<DrainResult>;
}

const services = new WeakMap<App, LifecycleService>();

/**
 * The executors could not be set up (a webhook's secret variable is unset, say): nothing was
 * sent, and what the outbox holds stays queued for a later `roster deliver`. Thrown only after
 * the step's other work (transitions, plans, queued actions and events) committed.
 */
export class DeliveryNotReady extends RosterError {
  constructor(why: string, queued: number) {
    super('CONFIG', `cannot deliver: ${why}; ${queued} outbox item(s) stay queued, ` +
      "nothing was sent (fix the configuration, then run 'roster deliver')", { queued });
    this.name = 'DeliveryNotReady';
  }
}

/** Registers the lifecycle step after every ingest of this app, and returns the service. */
export function registerLifecycle(app: App): LifecycleService {
  const config: LifecycleConfig = app.config.lifecycle ?? DEFAULT_LIFECYCLE_CONFIG;
  if (!(app.store instanceof SqliteStore)) {
    throw new RosterError('CONFIG', 'the lifecycle tables exist only for the SQLite store so far');
  }
  const ctx: OperatorContext = {
    store: app.store,
    lifecycle: new SqliteLifecycleStore(app.store.connection),
    config,
    rules: app.config.precedence,
  };
  let deliverers: Map<string, Deliverer> | undefined;
  const deliver = async (now: string): Promise<DrainResult> => {
    try {
      deliverers ??= buildDeliverers(config);
    } catch (err) {
      if (!(err instanceof RosterError)) throw err;
      const queued = (await ctx.lifecycle.listOutbox('pending')).length;
      throw new DeliveryNotReady(err.message, queued);
    }
    return drainOutbox(ctx.lifecycle, deliverers, config.delivery, {
      now,
      onDelivered: async (item) => {
        await takeDelivery(ctx, item, now);
      },
    });
  };
  const service: LifecycleService = {
    ctx,
    deliver,
    async cycle(now) {
      const tracked = await trackTransitions(ctx, now);
      await holdRetirements(ctx, tracked.retired);
      const first = await advancePlans(ctx, now);
      const open = await ctx.lifecycle.listPlans({ state: 'open' });
      const queued = (await queueActions(ctx, open, now)) + (await queueChangeEvents(ctx, now));
      const pending = await ctx.lifecycle.listOutbox('pending');
      const drained = pending.length > 0
        ? await deliver(now)
        : { delivered: [], retrying: [], failed: [] };
      const second = drained.delivered.length + drained.failed.length > 0
        ? await advancePlans(ctx, now)
        : undefined;
      return { tracked, advanced: second ? merge(first, second) : first, queued, drained };
    },
  };
  services.set(app, service);
  app.afterIngest.push(async (_app, _runIds, now) => {
    await service.cycle(now);
  });
  return service;
}

/** The lifecycle service of an app opened by openApp. */
export function lifecycleOf(app: App): LifecycleService {
  return services.get(app) ?? registerLifecycle(app);
}

/**
 * Throws the configuration error that would stop delivery (a webhook's secret variable
 * unset, say), so that a long-running process refuses to start rather than store what it
 * then cannot send.
 */
export function assertExecutorsReady(app: App): void {
  buildDeliverers(app.config.lifecycle ?? DEFAULT_LIFECYCLE_CONFIG);
}

function buildDeliverers(config: LifecycleConfig): Map<string, Deliverer> {
  const out = new Map<string, Deliverer>();
  for (const hook of config.webhooks) {
    const d = webhookDeliverer(hook);
    out.set(d.target, d);
  }
  if (config.command) out.set('command', commandDeliverer(config.command));
  return out;
}

function merge(a: AdvanceReport, b: AdvanceReport): AdvanceReport {
  return {
    sent: [...a.sent, ...b.sent],
    failed: [...a.failed, ...b.failed],
    confirmed: [...a.confirmed, ...b.confirmed],
    overdue: [...a.overdue, ...b.overdue],
    completed: [...a.completed, ...b.completed],
  };
}
