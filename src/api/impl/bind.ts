// Binds an endpoint definition to its handler, giving the handler the request types of the
// definition's schemas. The result is a row of the route table that server.ts registers.

import type { TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest, preValidationHookHandler } from 'fastify';
import type {
  Accepts,
  Access,
  BodyOf,
  Endpoint,
  ParamsOf,
  QueryOf,
  ResponseOf,
} from '../definitions/endpoint.js';
import type { RouteDef } from '../route-table.js';

export type RequestOf<E extends Endpoint> = FastifyRequest<{
  Params: ParamsOf<E>;
  Querystring: QueryOf<E>;
  Body: BodyOf<E>;
}>;

/** Answer the success JSON, or take the reply over (status 201, headers, streams) and return it. */
export type HandlerOf<E extends Endpoint> = (
  req: RequestOf<E>,
  reply: FastifyReply,
) => Promise<ResponseOf<E> | FastifyReply>;

export interface BindOptions<E extends Endpoint = Endpoint> {
  /** Required for `by-body` endpoints: decides from the parsed request. */
  readonly accessOf?: (req: RequestOf<E>) => Access;
  readonly preValidation?: preValidationHookHandler;
}

/**
 * A body schema per content type: JSON checked against the definition's schema, the other type
 * (bytes) left to the handler (and recognised by bytes-body.ts's parser).
 */
const bodyByType = (json: TSchema, other: Accepts) => ({
  content: {
    'application/json': { schema: json },
    [other]: { schema: { description: 'the bytes themselves' } },
  },
});

export function bind<E extends Endpoint>(def: E, handler: HandlerOf<E>, opts: BindOptions<E> = {}): RouteDef {
  if (def.access === 'by-body' && !opts.accessOf)
    throw new Error(`${def.method} ${def.url}: by-body needs accessOf`);
  const { params, query, body, response } = def.schemas;
  return {
    method: def.method,
    url: def.url,
    // Fastify checks the request against the schemas before either function runs: the one place where
    // the typed request becomes Fastify's untyped one.
    access: def.access === 'by-body' ? (opts.accessOf as (req: FastifyRequest) => Access) : def.access,
    schema: {
      summary: def.summary,
      tags: [...def.tags],
      ...(def.hide ? { hide: true } : {}),
      ...(params ? { params } : {}),
      ...(query ? { querystring: query } : {}),
      ...(body ? { body: def.accepts ? bodyByType(body, def.accepts) : body } : {}),
      response,
    },
    preValidation: opts.preValidation,
    handler: handler as RouteDef['handler'],
  };
}
