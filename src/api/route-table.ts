// The API as one table: every route is an entry with its method, URL, schemas, access level and handler.
// `access` is required by the type and checked again when Fastify registers a route (see access.ts),
// so no route can be added without saying who may call it.
import type {
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  HTTPMethods,
  preValidationHookHandler,
  RouteGenericInterface,
} from 'fastify';

/**
 * `public`: reads of the chain, and submitting data signed elsewhere. `operator`: anything that spends the
 * node wallet, mines, or steers the node's network, and reads that tell about the operator rather than
 * the chain (the node wallet, peers and bans, the miner, metrics). A function decides from the parsed
 * request, for routes whose body says which of the two it is (the tutorials' /transactions/new).
 */
export type Access = 'public' | 'operator';
export type AccessRule = Access | ((req: FastifyRequest) => Access);

export interface RouteDef<G extends RouteGenericInterface = RouteGenericInterface> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly access: AccessRule;
  readonly schema: FastifySchema & { summary: string; tags?: string[]; hide?: boolean };
  readonly preValidation?: preValidationHookHandler;
  readonly handler: (req: FastifyRequest<G>, reply: FastifyReply) => unknown;
}

/** Keeps the request's generic types for the handler while the table holds plain RouteDefs. */
export const route = <G extends RouteGenericInterface = RouteGenericInterface>(def: RouteDef<G>): RouteDef =>
  def as unknown as RouteDef;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
}

export const ALL_METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];
