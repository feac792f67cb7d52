// A small fetch wrapper: JSON in, JSON out, the API's {error, message} turned into an ApiError.

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

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

async function request<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = apiToken.get();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'unreachable', 'The node cannot be reached.');
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    // A proxy or a node that is starting may answer with HTML; report it as such below.
  }
  if (!res.ok) {
    const e = json as { error?: string; message?: string } | null;
    if (res.status === 401) {
      throw new ApiError(401, 'unauthorized', 'This node needs its API token (Network page → API token).');
    }
    throw new ApiError(res.status, e?.error ?? 'http', e?.message ?? `HTTP ${res.status} ${res.statusText}`);
  }
  if (json === null && text !== '')
    throw new ApiError(res.status, 'bad-json', 'The node sent something that is not JSON.');
  return json as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body: unknown = {}, signal?: AbortSignal) => request<T>('POST', path, body, signal),
  del: <T>(path: string) => request<T>('DELETE', path),
};

export const errorText = (err: unknown): string =>
  err instanceof ApiError
    ? err.code === 'unreachable' || err.code === 'http' || err.code === 'bad-json'
      ? err.message
      : `${err.message} (${err.code})`
    : err instanceof Error
      ? err.message
      : String(err);
