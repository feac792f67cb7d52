// The node's API for the web app: the typed client generated from the endpoint definitions
// (src/api/client.ts), on this page's origin, with the bearer token read at each call.
import { ApiError, createApiClient, endpointPath } from '../../../src/api/client.js';
import { endpoints } from '../../../src/api/definitions/index.js';

export { ApiError } from '../../../src/api/client.js';

const TOKEN_KEY = 'hashline.apiToken';

// Older versions kept the token in localStorage, where it outlived the tab: it is taken out of there once.
try {
  const old = localStorage.getItem(TOKEN_KEY);
  if (old !== null) {
    localStorage.removeItem(TOKEN_KEY);
    if (sessionStorage.getItem(TOKEN_KEY) === null && old.trim() !== '')
      sessionStorage.setItem(TOKEN_KEY, old.trim());
  }
} catch {
  // Storage may be unavailable (a sandboxed frame): the token then lives in this page only.
}

let tokenInMemory = '';

/**
 * Bearer token for nodes that need it (the content of <data-dir>/.cookie): kept in sessionStorage, so it
 * lasts as long as the tab and never reaches disk or other tabs, or in memory when storage is unavailable.
 */
export const apiToken = {
  get: (): string => {
    try {
      return sessionStorage.getItem(TOKEN_KEY) ?? '';
    } catch {
      return tokenInMemory;
    }
  },
  set: (token: string): void => {
    tokenInMemory = token.trim();
    try {
      if (tokenInMemory === '') sessionStorage.removeItem(TOKEN_KEY);
      else sessionStorage.setItem(TOKEN_KEY, tokenInMemory);
    } catch {
      // in memory only
    }
  },
};

/** Every endpoint by name (api.getBlock({params: {id}}), api.mine({body: {}})…), typed by its schemas. */
export const api = createApiClient({
  baseUrl: '',
  token: () => apiToken.get() || undefined,
  // Syncing with peers (/nodes/resolve) or mining a block may take a while; a dead node is seen sooner.
  timeoutMs: 120_000,
});

/** The event stream's URL, for EventSource (which sends no token: the stream is public). */
export const eventsUrl = endpointPath(endpoints.events);

/** What the web app shows for an error: a sentence, with the API's code when the node gave one. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  switch (err.code) {
    case 'unreachable':
      return 'The node cannot be reached.';
    case 'timeout':
    case 'bad-response':
      return err.message;
    case 'unauthorized':
      if (err.status === 401) return 'This node needs its API token (Network page → API token).';
  }
  return `${err.message} (${err.code})`;
}
