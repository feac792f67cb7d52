// The HTTP server: Fastify with the classic routes, REST v1, events, metrics, OpenAPI at /docs, and the web app.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type preHandlerHookHandler } from 'fastify';
import type { HashlineNode } from '../node/node.js';
import { VERSION } from '../version.js';
import { ApiError, errorHandler } from './errors.js';
import { registerEvents } from './events.js';
import { registerMetrics } from './metrics.js';
import { registerClassicRoutes } from './routes-classic.js';
import { registerRestRoutes } from './routes-rest.js';

/** Large enough for a full block in hex, small enough that a flood of junk is cut off early. */
export const BODY_LIMIT = 2_100_000;

const isLoopback = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '::1';

/** The built web app, next to the package root whether running from src/ or dist/. */
export function webRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..', 'web', 'dist');
  return existsSync(join(root, 'index.html')) ? root : undefined;
}

/**
 * The bearer token guarding state-changing routes when the node listens beyond loopback, written to
 * `<data-dir>/.cookie` (as bitcoind does) so local tools can read it.
 */
export function authGuard(node: Pick<HashlineNode, 'config'>): preHandlerHookHandler {
  if (isLoopback(node.config.host)) return async () => {};
  const token = randomBytes(32).toString('hex');
  writeFileSync(join(node.config.dataDir, '.cookie'), token, { mode: 0o600 });
  const expected = Buffer.from(`Bearer ${token}`);
  return async (req) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ApiError(
        401,
        'unauthorized',
        'this route needs "Authorization: Bearer <token>" (the token is in <data-dir>/.cookie)',
      );
    }
  };
}

export async function buildServer(
  node: HashlineNode,
  opts: { logger?: boolean } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: opts.logger ? { level: 'warn' } : false,
    // Answer in JSON even for errors Fastify raises itself.
    return503OnClosing: true,
    forceCloseConnections: true,
    // No type coercion: Fastify's default would turn {"amount": true} into 1 and ["addr"] into "addr".
    ajv: { customOptions: { coerceTypes: false } },
  });
  app.setErrorHandler(errorHandler);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await app.register(rateLimit, {
    max: 600,
    timeWindow: '10 seconds',
    // Local tools, tests and benchmarks are the node's own operator.
    allowList: (req) => isLoopback(req.ip),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      error: 'rate-limited',
      message: `too many requests: at most ${ctx.max} per ${ctx.after}`,
    }),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Hashline node API',
        version: VERSION,
        description: 'See docs/api.md for the JSON shapes.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const mutating = { preHandler: authGuard(node) };
  registerClassicRoutes(app, node, mutating);
  registerRestRoutes(app, node, mutating);
  registerEvents(app, node);
  registerMetrics(app, node);

  const web = node.config.web ? webRoot() : undefined;
  if (web) await app.register(fastifyStatic, { root: web, prefix: '/', wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const api = /^\/(api|mine|chain|transactions|nodes|metrics|docs)(\/|$)/.test(path);
    if (req.method === 'GET' && !api && web) return reply.sendFile('index.html');
    if (req.method === 'GET' && path === '/' && !web) {
      return reply
        .type('text/html')
        .send(
          '<h1>Hashline node</h1><p>The web app is not built: run <code>npm run build</code>. API: <a href="/docs">/docs</a></p>',
        );
    }
    return reply.status(404).send({ error: 'not-found', message: `no route ${req.method} ${path}` });
  });
  return app;
}
