import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the console built by Vite (web/dist) at `/`, public like any sign-in page: it holds
 * no data, and reads everything through the API with the user's token. Returns the console's
 * index.html for client-side routes (`/records/ast_...`), or undefined without a build.
 */
export async function registerWeb(
  server: FastifyInstance,
  webRoot: string | undefined,
): Promise<string | undefined> {
  const index = webRoot ? join(webRoot, 'index.html') : undefined;
  if (!webRoot || !index || !existsSync(index)) return undefined;
  await server.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, scope: 'public' };
    });
    // wildcard: false registers one route per built file, so that unknown paths reach the
    // not-found handler (and /api/... never falls through to a file).
    await scope.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false });
  });
  return readFileSync(index, 'utf8');
}
