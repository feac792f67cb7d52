// Who may call what (docs/api.md, "Security"). Three checks, all on every request before any handler:
//   1. Host: a loopback name or address, the bound address, or a name given with --allow-host; so a
//      DNS-rebound name cannot make a browser treat this node as its own site.
//   2. Operator routes refuse browser requests from another site (Origin not ours, or Sec-Fetch-Site
//      cross-site/same-site) unless they carry the token, which a form or an image cannot.
//   3. Beyond loopback, operator routes need the bearer token.
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

/** Every route the server registered, plugins' included, with its access level. */
export const routesOf = (app: FastifyInstance): readonly RouteAccessRecord[] => registered.get(app) ?? [];

export async function installAccessControl(app: FastifyInstance, opts: ServerOptions): Promise<void> {
  const bound = opts.host.toLowerCase();
  const allowHosts = new Set(opts.allowHosts.map((h) => h.toLowerCase()));
  const corsOrigins = new Set(opts.corsOrigins);
  const expected = digest(opts.token);
  const tokenRequired = !isLoopbackHost(bound);

  const records: RouteAccessRecord[] = [];
  registered.set(app, records);
  const record = (r: RouteOptions) => {
    const rule = r.config?.access;
    const access = typeof rule === 'function' ? 'by-body' : (rule ?? 'public');
    for (const method of [r.method].flat()) records.push({ method, url: r.url, access });
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
    if (tokenRequired) {
      throw new ApiError(
        401,
        'unauthorized',
        'this route needs "Authorization: Bearer <token>" when the node listens beyond loopback (the token is in <data-dir>/.cookie)',
      );
    }
  };

  app.addHook('onRequest', async (req) => {
    if (!hostAllowed(req.headers.host)) {
      throw new ApiError(
        421,
        'host-not-allowed',
        `this node does not answer to the name ${JSON.stringify(req.headers.host)}; ` +
          'start it with --allow-host <name> to serve that name',
      );
    }
    const rule = req.routeOptions.config.access;
    if (rule === 'operator') checkOperator(req);
  });
  // Routes whose body says what they are (a signed transaction, or a node-wallet spend) decide once it is parsed.
  app.addHook('preHandler', async (req) => {
    const rule = req.routeOptions.config.access;
    if (typeof rule === 'function' && rule(req) === 'operator') checkOperator(req);
  });

  // CORS: public routes may be read (and signed data posted) from any page, without credentials;
  // operator routes only from --cors-origin origins, which must still send the token.
  await app.register(cors, {
    hook: 'onRequest',
    delegator: (req, callback) => {
      const origin = req.headers.origin;
      const trusted = origin !== undefined && corsOrigins.has(origin);
      if (req.method === 'OPTIONS') {
        callback(null, {
          origin: trusted ? origin : '*',
          methods: trusted ? ['GET', 'POST', 'DELETE'] : ['GET', 'POST'],
          allowedHeaders: trusted ? ['authorization', 'content-type'] : ['content-type'],
          maxAge: 600,
          // An OPTIONS without preflight headers gets an empty 204, not a text error.
          strictPreflight: false,
        });
        return;
      }
      const access = req.routeOptions.config.access;
      if (access === 'operator') callback(null, { origin: trusted ? origin : false });
      else callback(null, { origin: '*' });
    },
  });
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
