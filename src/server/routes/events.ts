import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { readEvents } from '../../lifecycle/cloudevents.js';
import type { ServerContext } from '../context.js';
import { CloudEvent, EventPage, EventQuery, EventStreamQuery } from '../schemas/lifecycle.js';

/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
const BATCH = 500;

/**
 * The change-event feed over the events table (issue 5 point 7): a page by cursor, and a
 * Server-Sent Events stream for PEPs and SIEMs that follow the inventory. Each SSE message
 * carries the event's sequence number as its id, so that a client that reconnects with
 * Last-Event-ID misses nothing.
 */
export function registerEventRoutes(server: FastifyInstance, ctx: ServerContext, pollMs: number) {
  const source = (): string => ctx.app.config.lifecycle.eventSource;
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/events',
    operationId: 'listEvents',
    summary: 'Inventory change events after a sequence number, oldest first (CloudEvents 1.0)',
    description: 'Record added, attribute changed, merged, admission and lifecycle moves, ' +
      'findings opened and closed, offboarding progress. Read on with `after=<next>`.',
    tag: 'events',
    scope: 'read',
    query: EventQuery,
    response: EventPage,
    handler: async ({ query }) => {
      const after = Number(query.after);
      const options = { limit: query.limit, source: source() };
      const items = await readEvents(ctx.app.store, after, options);
      const last = items[items.length - 1];
      const next = last ? String(last['rosterseq']) : String(after);
      return { items: items.map((e) => ({ ...e })), next };
    },
  });

  const open = new Set<() => void>();
  server.addHook('preClose', async () => {
    for (const stop of [...open]) stop();
  });
  ctx.router.add(server, {
    method: 'GET',
    url: '/api/v1/events/stream',
    operationId: 'streamEvents',
    summary: 'Change events as they happen (Server-Sent Events)',
    description: 'Each message: `id` the sequence number, `event` the CloudEvent type, `data` ' +
      'the CloudEvent JSON. Starts after `after`, else after the Last-Event-ID header, else ' +
      'at the newest event.',
    tag: 'events',
    scope: 'read',
    query: EventStreamQuery,
    response: CloudEvent,
    produces: { type: 'text/event-stream', description: 'a stream of CloudEvents' },
    handler: async ({ query, request, reply }) => {
      const header = request.headers['last-event-id'];
      const resume = typeof header === 'string' && /^\d{1,15}$/.test(header) ? header : undefined;
      let after = Number(query.after ?? resume ?? (await ctx.stores.queries.latestEventSeq()));
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${Math.max(pollMs, 1000)}\n: roster change events after ${after}\n\n`);
      let timer: NodeJS.Timeout | undefined;
      let lastWrite = Date.now();
      let stopped = false;
      const stop = (): void => {
        if (stopped) return;
        stopped = true;
        clearTimeout(timer);
        open.delete(stop);
        res.end();
      };
      open.add(stop);
      request.raw.on('close', stop);
      res.on('close', stop);
      const tick = async (): Promise<void> => {
        try {
          const events = await readEvents(ctx.app.store, after, { limit: BATCH, source: source() });
          for (const e of events) {
            if (stopped) return;
            after = Number(e['rosterseq']);
            write(res, `id: ${after}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
            lastWrite = Date.now();
          }
          if (Date.now() - lastWrite >= HEARTBEAT_MS) {
            write(res, ': keep-alive\n\n');
            lastWrite = Date.now();
          }
        } catch (err) {
          request.log.error({ err }, 'event stream failed');
          stop();
          return;
        }
        if (!stopped) timer = setTimeout(() => void tick(), pollMs);
      };
      void tick();
      return reply;
    },
  });
}

function write(res: ServerResponse, text: string): void {
  if (!res.writableEnded) res.write(text);
}
