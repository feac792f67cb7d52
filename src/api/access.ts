// Who may call what (docs/api.md, "Security"). Three checks, all on every request before any handler:
//   1. Host: a loopback name or address, the bound address, or a name given with --allow-host; so a
//      DNS-rebound name cannot make a browser treat this node as its own site.
//   2. Operator routes refuse browser requests from another site (Origin not ours, or Sec-Fetch-Site
//      cross-site/same-site) unless they carry the token, which a form or an image cannot.
//   3. Beyond loopback (a non-loopback bind, a client that is not loopback, or --require-token), operator
//      routes need the bearer token.
// Operator routes, reads included, get no CORS grant and no preflight for other sites' pages (only for
// --cors-origin origins); public routes are readable from any page.
// The access level comes from the route table; a route registered without one cannot start the server.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { ServerOptions } from './context.js';
import { ApiError } from './errors.js';
import type { Access } from './route-table.js';

export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '';

/** The host name of a Host header or an origin, lowercase, without port or IPv6 brackets. */
function hostnameOf(authority: string): string | undefined {
  try {
    return new URL(`http://${authority}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return undefined;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** One registered route and who may call it (`by-body`: public when the body carries signed data). */
export interface RouteAccessRecord {
  readonly method: string;
  readonly url: string;
  readonly access: Access | 'by-body';
}

const registered = new WeakMap<FastifyInstance, RouteAccessRecord[]>();

/**
 * Request headers a public route's preflight allows: the body's type, and what tutorial clients send
 * (adil's jQuery client sets an `Access-Control-Allow-Origin` request header; jQuery setups often add
 * `X-Requested-With`). None of them carries a credential.
 */
export const PUBLIC_REQUEST_HEADERS: readonly string[] = [
  'content-type',
  'access-control-allow-origin',
  'x-requested-with',
];

/** Headers by which a proxy says whom it forwards for. */
const FORWARDED_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

export const PROXY_WARNING =
  'requests arrive through a proxy (forwarded headers on a loopback connection) and --require-token is off: ' +
  'operator routes answer without a token to whoever the proxy lets in. Start the node with --require-token ' +
  '(and --trust-proxy <proxy address> for client addresses in the rate limit)';

/** Every route the server registered, plugins' included, with its access level. */
export const routesOf = (app: FastifyInstance): readonly RouteAccessRecord[] => registered.get(app) ?? [];

/** The checks of the header comment, for one server's options. */
function accessChecks(opts: ServerOptions) {
  const bound = opts.host.toLowerCase();
  const allowHosts = new Set(opts.allowHosts.map((h) => h.toLowerCase()));
  const corsOrigins = new Set(opts.corsOrigins);
  const expected = digest(opts.token);
  const loopbackBind = isLoopbackHost(bound);
  // With --trust-proxy, req.ip is the forwarded client's: a client beyond loopback needs the token too.
  const tokenRequired = (req: FastifyRequest): boolean =>
    opts.requireToken === true || !loopbackBind || !isLoopbackHost(req.ip.replace(/^::ffff:/, ''));

  const hostAllowed = (header: string | undefined): boolean => {
    if (header === undefined) return true; // HTTP/1.0 tools; every browser sends Host
    const name = hostnameOf(header);
    if (name === undefined) return false;
    if (isLoopbackHost(name) || name.endsWith('.localhost') || name === bound || allowHosts.has(name))
      return true;
    // Bound to every interface: any address of this machine is "the bound address". A rebinding
    // attack needs a name, never an IP literal.
    return isWildcard(bound) && isIP(name) !== 0;
  };

  const hasToken = (req: FastifyRequest): boolean => {
    const m = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return m !== null && timingSafeEqual(digest(m[1]!), expected);
  };

  const foreignSite = (req: FastifyRequest): string | undefined => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (originHost(origin) !== req.headers.host?.toLowerCase())
        return `Origin ${origin} is not this node's own`;
    }
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return `the browser marked it Sec-Fetch-Site: ${site}`;
    return undefined;
  };

  const checkOperator = (req: FastifyRequest): void => {
    if (hasToken(req)) return;
    if (req.headers.authorization !== undefined) {
      throw new ApiError(401, 'unauthorized', 'the bearer token is wrong (it is in <data-dir>/.cookie)');
    }
    const foreign = foreignSite(req);
    if (foreign) {
      throw new ApiError(
        403,
        'cross-site-request',
        `operator routes refuse requests that web pages of other sites make: ${foreign}. ` +
          'Use this node\'s own dashboard, a tool such as curl, or send "Authorization: Bearer <token>"',
      );
    }
    if (tokenRequired(req)) {
      throw new ApiError(
        401,
        'unauthorized',
        opts.requireToken
          ? 'this route needs "Authorization: Bearer <token>": the node runs with --require-token (the token is in <data-dir>/.cookie)'
          : 'this route needs "Authorization: Bearer <token>" when the node or its caller is beyond loopback (the token is in <data-dir>/.cookie)',
      );
    }
  };

  /** Whether this request may see operator data (what checkOperator would let through). */
  const mayOperate = (req: FastifyRequest): boolean => {
    if (req.headers.authorization !== undefined) return hasToken(req);
    return foreignSite(req) === undefined && !tokenRequired(req);
  };

  const trustedOrigin = (req: FastifyRequest): string | undefined => {
    const origin = req.headers.origin;
    return origin !== undefined && corsOrigins.has(origin) ? origin : undefined;
  };
  return { hostAllowed, checkOperator, mayOperate, trustedOrigin };
}

export async function installAccessControl(app: FastifyInstance, opts: ServerOptions): Promise<void> {
  const { hostAllowed, checkOperator, mayOperate, trustedOrigin } = accessChecks(opts);
  const noticeProxy = proxyNotice(opts);
  const preflightLevel = trackRouteLevels(app);
  app.decorateRequest('operator', false);

  app.addHook('onRequest', async (req) => {
    if (!hostAllowed(req.headers.host)) {
      throw new ApiError(
        421,
        'host-not-allowed',
        `this node does not answer to the name ${JSON.stringify(req.headers.host)}; ` +
          'start it with --allow-host <name> to serve that name',
      );
    }
    noticeProxy(req);
    req.operator = mayOperate(req);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      if (preflightLevel(req) === 'operator' && trustedOrigin(req) === undefined) {
        throw new ApiError(
          403,
          'cross-site-request',
          `operator routes are not granted to pages of other sites (Origin ${req.headers.origin ?? 'none'}); ` +
            'start the node with --cors-origin <origin> to let a web app of yours call them with the token',
        );
      }
      return;
    }
    const rule = req.routeOptions.config.access;
    if (rule === 'operator') checkOperator(req);
  });
  // What only the operator may read is never stored by a browser or a proxy.
  app.addHook('onSend', async (req, reply) => {
    if (req.routeOptions.config.access === 'operator') reply.header('cache-control', 'no-store');
  });
  // Routes whose body says what they are (a signed transaction, or a node-wallet spend) decide once it is parsed.
  app.addHook('preHandler', async (req) => {
    const rule = req.routeOptions.config.access;
    if (typeof rule === 'function' && rule(req) === 'operator') checkOperator(req);
  });

  await installCors(app, trustedOrigin);
}

/** Warns once when a request arrives through a proxy on this host while --require-token is off. */
function proxyNotice(opts: ServerOptions): (req: FastifyRequest) => void {
  let seen = false;
  return (req) => {
    if (seen || opts.requireToken) return;
    if (!FORWARDED_HEADERS.some((h) => req.headers[h] !== undefined)) return;
    if (!isLoopbackHost((req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''))) return;
    seen = true;
    opts.onWarning?.(PROXY_WARNING);
  };
}

/**
 * Records every route with its level as it is registered (refusing a non-read without one), and gives
 * the level of the route a preflight asks about: an OPTIONS names the method (a HEAD is its GET's).
 */
function trackRouteLevels(app: FastifyInstance): (req: FastifyRequest) => RouteAccessRecord['access'] {
  const records: RouteAccessRecord[] = [];
  registered.set(app, records);
  // URL pattern → method → level.
  const levels = new Map<string, Map<string, RouteAccessRecord['access']>>();
  const record = (r: RouteOptions) => {
    const rule = r.config?.access;
    const access = typeof rule === 'function' ? 'by-body' : (rule ?? 'public');
    const byMethod = levels.get(r.url) ?? new Map<string, RouteAccessRecord['access']>();
    levels.set(r.url, byMethod);
    for (const method of [r.method].flat()) {
      records.push({ method, url: r.url, access });
      if (!byMethod.has(method)) byMethod.set(method, access);
    }
  };
  app.addHook('onRoute', (r: RouteOptions) => {
    if (r.config?.access !== undefined) {
      record(r);
      return;
    }
    // Plugin pages (the web app's files, /docs) only read; anything else must come from the table.
    const methods = [r.method].flat();
    if (methods.every((m) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS')) {
      r.config = { ...r.config, access: 'public' };
      record(r);
      return;
    }
    throw new Error(`route ${methods.join(',')} ${r.url} has no access level: declare it in the route table`);
  });
  return (req) => {
    const asked = String(req.headers['access-control-request-method'] ?? 'GET').toUpperCase();
    const byMethod = levels.get(req.routeOptions.url ?? '');
    return byMethod?.get(asked === 'HEAD' ? 'GET' : asked) ?? 'public';
  };
}

async function installCors(
  app: FastifyInstance,
  trustedOrigin: (req: FastifyRequest) => string | undefined,
): Promise<void> {
  // Public routes may be read (and signed data posted) from any page, without credentials; operator
  // routes, reads included, only from --cors-origin origins, which must still send the token. Foreign
  // preflights of operator routes are refused by the onRequest hook above, which runs before this one.
  await app.register(cors, {
    hook: 'onRequest',
    delegator: (req, callback) => {
      const trusted = trustedOrigin(req);
      if (req.method === 'OPTIONS') {
        callback(null, {
          origin: trusted ?? '*',
          methods: trusted ? ['GET', 'POST', 'DELETE'] : ['GET', 'POST'],
          allowedHeaders: trusted
            ? ['authorization', ...PUBLIC_REQUEST_HEADERS]
            : [...PUBLIC_REQUEST_HEADERS],
          maxAge: 600,
          // An OPTIONS without preflight headers gets an empty 204, not a text error.
          strictPreflight: false,
        });
        return;
      }
      const access = req.routeOptions.config.access;
      if (access === 'operator') callback(null, { origin: trusted ?? false });
      else callback(null, { origin: '*' });
    },
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller may see operator data: the token, or loopback without another site's Origin. */
    operator: boolean;
  }
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
