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

/** Bearer token for nodes that listen beyond loopback (the content of <data-dir>/.cookie). */
export const apiToken = {
  get: (): string => localStorage.getItem(TOKEN_KEY) ?? '',
  set: (token: string): void => {
    if (token.trim() === '') localStorage.removeItem(TOKEN_KEY);
    else localStorage.setItem(TOKEN_KEY, token.trim());
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
