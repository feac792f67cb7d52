// The node's API for the web app: the typed client generated from the endpoint definitions
// (src/api/client.ts), on this page's origin, with the bearer token read at each call.
import { ApiError, createApiClient, endpointPath } from '../../../src/api/client.js';
import { endpoints } from '../../../src/api/definitions/index.js';

export { ApiError } from '../../../src/api/client.js';

const TOKEN_KEY = 'hashline.apiToken';

/** Bearer token for nodes that listen beyond loopback (the content of <data-dir>/.cookie). */
export const apiToken = {
  get: (): string => localStorage.getItem(TOKEN_KEY) ?? '',
  set: (token: string): void => {
    if (token.trim() === '') localStorage.removeItem(TOKEN_KEY);
    else localStorage.setItem(TOKEN_KEY, token.trim());
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
