// The typed client of the HTTP API, generated from the endpoint definitions: one function per endpoint
// name (`getBlock`, `submitTx`…), taking {params, query, body} typed by the schemas (a Uint8Array body
// is sent as application/octet-stream, to the endpoints that accept bytes) and answering the
// success JSON typed by the response schema. An {error, message} answer is thrown as ApiError. On global
// fetch with no node: imports, so Node 20, the wallet, the CLI and the web app share it.
import { ApiError } from './api-error.js';
import type { BodyOf, Endpoint, ParamsOf, QueryOf, ResponseOf } from './definitions/endpoint.js';
import { type EndpointName, type Endpoints, endpoints } from './definitions/index.js';

export { ApiError } from './api-error.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** A part of the request: required when its schema has a required field, optional otherwise, absent without one. */
type Part<K extends string, T> = [T] extends [undefined]
  ? { readonly [P in K]?: undefined }
  : Record<string, never> extends T
    ? { readonly [P in K]?: T }
    : { readonly [P in K]: T };

/** What a call sends: URL parameters, query and body, typed by the endpoint's schemas. */
export type ArgsOf<E extends Endpoint> = Part<'params', ParamsOf<E>> &
  Part<'query', QueryOf<E>> &
  Part<'body', BodyOf<E>>;

/** The success JSON, the text of a text endpoint, or the open Response of an event stream or bytes. */
export type AnswerOf<E extends Endpoint> =
  NonNullable<E['produces']> extends 'text/plain'
    ? string
    : NonNullable<E['produces']> extends 'text/event-stream' | 'application/octet-stream'
      ? Response
      : ResponseOf<E>;

export interface CallOptions {
  /** Aborts the call; the abort error is rethrown as it is. */
  readonly signal?: AbortSignal;
}

export type ClientFunction<E extends Endpoint> =
  Record<string, never> extends ArgsOf<E>
    ? (args?: ArgsOf<E>, opts?: CallOptions) => Promise<AnswerOf<E>>
    : (args: ArgsOf<E>, opts?: CallOptions) => Promise<AnswerOf<E>>;

export type ApiClient = { readonly [K in EndpointName]: ClientFunction<Endpoints[K]> };

export interface ApiClientOptions {
  /** The node's URL (`http://127.0.0.1:5000`); '' for the page's own origin in a browser. */
  readonly baseUrl: string;
  /** Replaces global fetch (tests, custom agents). */
  readonly fetch?: typeof fetch;
  /** Bearer token for operator routes: the value, or a function read at each call. */
  readonly token?: string | (() => string | undefined);
  /** Milliseconds until the answer (the headers, for an event stream); 30 s when left out. */
  readonly timeoutMs?: number;
}

type AnyArgs = {
  readonly params?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
};

/**
 * The path and query of a call: `:name` parameters replaced by their percent-encoded values, query
 * fields left out when undefined. Throws TypeError when a URL parameter is missing.
 */
export function endpointPath<E extends Endpoint>(def: E, typedArgs?: ArgsOf<E>): string {
  // Every ArgsOf<E> is one: the typed view serves the callers, this one the loop below.
  const args = (typedArgs ?? {}) as AnyArgs;
  const path = def.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = args.params?.[name];
    if (value === undefined || value === null || value === '')
      throw new TypeError(`${def.method} ${def.url}: the URL parameter "${name}" is missing`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(args.query ?? {})) {
    if (value !== undefined) query.set(key, String(value));
  }
  const qs = query.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

const isErrorBody = (v: unknown): v is { error: string; message: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { error?: unknown }).error === 'string' &&
  typeof (v as { message?: unknown }).message === 'string';

/** A client calling every endpoint of src/api/definitions by its name. */
export function createApiClient(opts: ApiClientOptions): ApiClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const fetchFn =
    opts.fetch ?? ((input: Parameters<typeof fetch>[0], init?: RequestInit) => fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const where = baseUrl === '' ? 'the node' : `the node at ${baseUrl}`;
  const tokenOf = typeof opts.token === 'function' ? opts.token : () => opts.token as string | undefined;

  async function call(def: Endpoint, args: AnyArgs = {}, callOpts: CallOptions = {}): Promise<unknown> {
    const path = endpointPath(def, args as ArgsOf<Endpoint>);
    const stream = def.produces === 'text/event-stream' || def.produces === 'application/octet-stream';
    // A refusal is JSON whatever the endpoint answers on success.
    const accept = stream
      ? def.produces === 'text/event-stream'
        ? def.produces
        : `${def.produces}, application/json`
      : 'application/json';
    const headers: Record<string, string> = { accept };
    // Bytes go as they are, to an endpoint that `accepts` them (the type allows no other).
    const bytes = args.body instanceof Uint8Array;
    if (args.body !== undefined)
      headers['content-type'] = bytes ? 'application/octet-stream' : 'application/json';
    const token = tokenOf();
    if (token) headers.authorization = `Bearer ${token}`;
    // One controller for the timeout and the caller's signal, so either ends the request.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(callOpts.signal?.reason);
    callOpts.signal?.addEventListener('abort', onAbort, { once: true });
    if (callOpts.signal?.aborted) onAbort();
    const done = () => {
      clearTimeout(timer);
      callOpts.signal?.removeEventListener('abort', onAbort);
    };
    const failed = (e: unknown): never => {
      done();
      if (callOpts.signal?.aborted) throw e;
      if (timedOut)
        throw new ApiError(0, 'timeout', `${where} did not answer within ${Math.round(timeoutMs / 1000)} s`);
      throw new ApiError(0, 'unreachable', `cannot reach ${where}`);
    };
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        method: def.method,
        headers,
        body:
          args.body === undefined
            ? undefined
            : bytes
              ? (args.body as Uint8Array<ArrayBuffer>)
              : JSON.stringify(args.body),
        signal: controller.signal,
      });
    } catch (e) {
      return failed(e);
    }
    if (stream && response.ok) {
      // The body outlives the call: the timeout covered its headers, the caller's signal still ends it.
      clearTimeout(timer);
      return response;
    }
    let text: string;
    try {
      text = await response.text();
    } catch (e) {
      return failed(e);
    }
    done();
    if (response.ok && def.produces === 'text/plain') return text;
    let json: unknown;
    let parsed = true;
    try {
      json = JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (!response.ok && isErrorBody(json)) throw new ApiError(response.status, json.error, json.message);
    if (!response.ok || !parsed) {
      throw new ApiError(
        response.status,
        'bad-response',
        `${where} answered ${def.method} ${path} with ${parsed ? 'an unexpected answer' : 'something that is not JSON'} (HTTP ${response.status})`,
      );
    }
    return json;
  }

  const client: Record<string, (args?: AnyArgs, callOpts?: CallOptions) => Promise<unknown>> = {};
  for (const [name, def] of Object.entries(endpoints) as Array<[string, Endpoint]>) {
    client[name] = (args, callOpts) => call(def, args, callOpts);
  }
  // Built from the same table the type maps: one function per endpoint name.
  return client as unknown as ApiClient;
}
