// The HTTP server: Fastify serving the route table (src/api/definitions bound in src/api/impl), OpenAPI
// at /docs and the web app, behind the access rules of access.ts.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { VERSION } from '../version.js';
import { installAccessControl, isLoopbackHost } from './access.js';
import { installBytesParser } from './bytes-body.js';
import type { ApiContext, ServerOptions } from './context.js';
import { installCostLimit } from './cost-limit.js';
import { installContentSecurityPolicy } from './csp.js';
import { docsUiOptions } from './docs-ui.js';
import { clientErrorHandler, errorHandler, frameworkErrorHandler } from './errors.js';
import { installConnectionLimits, timeoutOptions } from './http-limits.js';
import { routeTable } from './impl/index.js';
import { installJsonParser } from './json-body.js';
import { lazyCompilers } from './lazy-schemas.js';
import { withLimits } from './limits.js';
import { installHttpMetrics, setLimitReader } from './metrics.js';
import { ALL_METHODS, type RouteDef } from './route-table.js';
import { SseClients } from './sse-clients.js';

/** Large enough for a full block in hex, small enough that a flood of junk is cut off early. */
export const BODY_LIMIT = 2_100_000;

/** The built web app, next to the package root whether running from src/ or dist/. */
export function webRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..', 'web', 'dist');
  return existsSync(join(root, 'index.html')) ? root : undefined;
}

/** Adds the table's routes, and for each URL a 405 (with Allow) for the methods it does not serve. */
function registerTable(app: FastifyInstance, table: readonly RouteDef[]): void {
  const methodsByUrl = new Map<string, Set<string>>();
  for (const def of table) {
    // A HEAD runs its GET's handler: only reads get one, so `HEAD /mine` cannot mine.
    const head = def.method === 'GET' && def.access === 'public';
    app.route({
      method: def.method,
      url: def.url,
      schema: def.schema,
      config: { access: def.access },
      exposeHeadRoute: head,
      preValidation: def.preValidation,
      handler: def.handler as never,
    });
    const set = methodsByUrl.get(def.url) ?? new Set<string>();
    set.add(def.method);
    if (head) set.add('HEAD');
    methodsByUrl.set(def.url, set);
  }
  for (const [url, methods] of methodsByUrl) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    app.route({
      // OPTIONS too, so a preflight is matched to its URL and access.ts can judge it by the route's level
      // (the CORS hook answers it before this handler runs).
      method: [...ALL_METHODS, 'OPTIONS' as const].filter((m) => !methods.has(m)),
      url,
      schema: { hide: true },
      config: { access: 'public' },
      handler: async (req, reply) =>
        reply
          .status(405)
          .header('allow', allow)
          .send({ error: 'method-not-allowed', message: `${req.method} ${url} is not served; use ${allow}` }),
    });
  }
}

export async function buildServer(ctx: ApiContext, opts: ServerOptions): Promise<FastifyInstance> {
  const limits = withLimits(opts.limits);
  const schemas = lazyCompilers();
  const app = Fastify({
    schemaController: { compilersFactory: schemas.compilersFactory },
    ...timeoutOptions(limits),
    bodyLimit: BODY_LIMIT,
    logger: opts.logger ? { level: 'warn' } : false,
    return503OnClosing: true,
    // Only a listed proxy's X-Forwarded-For names the client (req.ip: rate limit, loopback checks).
    trustProxy: opts.trustProxy && opts.trustProxy.length > 0 ? [...opts.trustProxy] : false,
    forceCloseConnections: true,
    // No type coercion: Fastify's default would turn {"amount": true} into 1 and ["addr"] into "addr".
    // Nor silent removal: a field a schema does not allow is refused, not dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    // Malformed requests that never reach a route (bad headers, oversized URLs) answer in JSON too.
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
  });
  app.setErrorHandler(errorHandler);
  // Each route's schemas compile on its first request or soon after the server listens, not before.
  let stopCompiling = () => {};
  app.addHook('onListen', async () => {
    stopCompiling = schemas.compileInBackground((e) =>
      opts.onWarning?.(`a route's schema does not compile: ${e.message}`),
    );
  });
  app.addHook('onClose', async () => stopCompiling());
  const connections = installConnectionLimits(app.server, limits);
  installHttpMetrics(app, ctx);
  await installAccessControl(app, opts);
  installContentSecurityPolicy(app);
  installJsonParser(app, BODY_LIMIT);
  installBytesParser(app);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await app.register(rateLimit, {
    max: 600,
    timeWindow: '10 seconds',
    // Local tools, tests and benchmarks are the node's own operator.
    allowList: (req) => isLoopbackHost(req.ip) || req.ip === '::ffff:127.0.0.1',
    errorResponseBuilder: (_req, c) => ({
      statusCode: 429,
      error: 'rate-limited',
      message: `too many requests: at most ${c.max} per ${c.after}`,
    }),
  });
  // After access and rate limits: a refused call waits for no turn.
  const costs = installCostLimit(app, limits);
  const sse = new SseClients(limits);
  setLimitReader(ctx, () => {
    const c = connections();
    const s = sse.stats();
    const r = costs.stats();
    return {
      connectionsOpen: c.open,
      connectionsRefused: c.refused,
      connectionsStalled: c.stalled,
      eventStreams: s.clients,
      eventStreamsDropped: s.dropped,
      expensiveReadsRunning: r.running,
      expensiveReadsWaiting: r.waiting,
      expensiveReadsRefused: r.refused,
    };
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Hashline node API',
        version: VERSION,
        description: 'See docs/api.md for the JSON shapes and the access rules.',
      },
    },
  });
  await app.register(swaggerUi, docsUiOptions);
  registerTable(app, routeTable(ctx, limits, sse));

  const web = opts.web ? webRoot() : undefined;
  if (web) await app.register(fastifyStatic, { root: web, prefix: '/', wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const api = /^\/(api|mine|chain|transactions|nodes|metrics|docs)(\/|$)/.test(path);
    if ((req.method === 'GET' || req.method === 'HEAD') && !api && web) return reply.sendFile('index.html');
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
