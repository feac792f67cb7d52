// One API definition, read by the server, the clients and /docs: an endpoint is its method, URL,
// access level and TypeBox schemas. Handlers live in src/api/impl/; the request and answer types of
// both sides come from these schemas (Static<>), never from hand copies.
import type { Static, TSchema } from '@sinclair/typebox';

/**
 * `public`: chain data anyone may read, and submitting data signed elsewhere. `operator`: anything
 * that spends the node wallet, mines, or steers the node's network, and reads that tell about the
 * operator rather than the chain (the node wallet, peers and bans, the miner, metrics).
 * `by-body`: the body says which of the two (the tutorials' /transactions/new); the impl decides.
 */
export type Access = 'public' | 'operator';
export type EndpointAccess = Access | 'by-body';
export type Method = 'GET' | 'POST' | 'DELETE';

/**
 * What a success answer is: JSON (the default, typed by the response schema), plain text (metrics),
 * a stream of Server-Sent Events, or bytes (a chain file). For the last two the client hands back the
 * open Response (or, for events, its URL for EventSource).
 */
export type Produces = 'application/json' | 'text/plain' | 'text/event-stream' | 'application/octet-stream';

/**
 * A second body an endpoint takes besides its JSON one: `application/octet-stream`, the bytes themselves
 * (a block's serialization), validated by the handler. The client sends a Uint8Array body as bytes.
 */
export type Accepts = 'application/octet-stream';

export interface EndpointSchemas {
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  /** By status code; the success code (200 or 201) is the one the client returns. */
  readonly response: { readonly [status: number]: TSchema };
}

export interface Endpoint<
  S extends EndpointSchemas = EndpointSchemas,
  P extends Produces = Produces,
  A extends Accepts = Accepts,
> {
  readonly method: Method;
  /** Fastify syntax: `/api/v1/blocks/:id`. */
  readonly url: string;
  readonly access: EndpointAccess;
  readonly summary: string;
  readonly tags: readonly string[];
  /** Left out of /docs (the tutorials' duplicates). */
  readonly hide?: boolean;
  /** `application/json` when left out. */
  readonly produces?: P;
  /** Also takes this body besides the JSON of `schemas.body`. */
  readonly accepts?: A;
  readonly schemas: S;
}

/** Keeps the literal schema types (and what the answer is) so the Static<> helpers below see them. */
export const endpoint = <
  const S extends EndpointSchemas,
  const P extends Produces = 'application/json',
  const A extends Accepts = never,
>(
  e: Endpoint<S, P, A>,
): Endpoint<S, P, A> => e;

type StaticOf<T, Otherwise> = T extends TSchema ? Static<T> : Otherwise;

export type ParamsOf<E extends Endpoint> = StaticOf<E['schemas']['params'], Record<string, never>>;
export type QueryOf<E extends Endpoint> = StaticOf<E['schemas']['query'], Record<string, never>>;
/** The JSON body, or also a Uint8Array for an endpoint that `accepts` bytes. */
export type BodyOf<E extends Endpoint> =
  | StaticOf<E['schemas']['body'], undefined>
  | ([NonNullable<E['accepts']>] extends [never] ? never : Uint8Array);

type SuccessSchema<R> = R extends { 200: infer S } ? S : R extends { 201: infer S } ? S : never;
/** The JSON of the endpoint's success answer (200, else 201). */
export type ResponseOf<E extends Endpoint> = StaticOf<SuccessSchema<E['schemas']['response']>, unknown>;

/** A group of endpoints by name (the client's method names). */
export type EndpointGroup = Readonly<Record<string, Endpoint>>;
