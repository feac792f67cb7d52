// The API as one table: every route is an endpoint definition bound to its handler (impl/bind.ts).
// `access` is required by the type and checked again when Fastify registers a route (see access.ts),
// so no route can be added without saying who may call it.
import type {
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  HTTPMethods,
  preValidationHookHandler,
} from 'fastify';
import type { Access } from './definitions/endpoint.js';

export type { Access } from './definitions/endpoint.js';

/** An access level, or a function that decides from the parsed request (definitions' `by-body`). */
export type AccessRule = Access | ((req: FastifyRequest) => Access);

export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly access: AccessRule;
  readonly schema: FastifySchema & { summary: string; tags?: string[]; hide?: boolean };
  readonly preValidation?: preValidationHookHandler;
  readonly handler: (req: FastifyRequest, reply: FastifyReply) => unknown;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
}

export const ALL_METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];
