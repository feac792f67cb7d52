// The few calls `hashline chain export|import` make to a node's REST API (docs/api.md), with the
// operator token when one is given and errors that say what to do.
import { readFile } from 'node:fs/promises';

const TIMEOUT_MS = 60_000;

/** The node did not answer (stopped, killed, wrong URL): the command can be run again. */
export class NodeUnreachable extends Error {}

export interface NodeAnswer<T> {
  readonly status: number;
  readonly body: T;
}

export interface ErrorJson {
  readonly error?: string;
  readonly message?: string;
}

export class NodeHttp {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** `tokenFile`: the node's `<data-dir>/.cookie`, needed for operator routes beyond loopback. */
  static async open(baseUrl: string, tokenFile?: string): Promise<NodeHttp> {
    const token = tokenFile ? (await readFile(tokenFile, 'utf8')).trim() : undefined;
    return new NodeHttp(baseUrl.replace(/\/+$/, ''), token);
  }

  private headers(json: boolean): Record<string, string> {
    return {
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    };
  }

  /** A request whose answer is JSON; any status comes back, a network failure throws NodeUnreachable. */
  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<NodeAnswer<T>> {
    const res = await this.fetch(path, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text().catch((e: Error) => {
      throw new NodeUnreachable(`the node at ${this.baseUrl} stopped answering: ${e.message}`);
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { error: 'not-json', message: text.slice(0, 200) };
    }
    return { status: res.status, body: parsed as T };
  }

  /** A GET whose body is streamed (no timeout on the body: a big download takes its time). */
  async download(path: string): Promise<Response> {
    return this.fetch(path, { headers: this.headers(false) });
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, init);
    } catch (e) {
      const cause = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
      throw new NodeUnreachable(`cannot reach the node at ${this.baseUrl}: ${cause}`);
    }
  }
}

/** A node's refusal as one sentence, with the way out for the access errors. */
export function refusal(what: string, status: number, body: ErrorJson): string {
  const hint =
    status === 401 || status === 403
      ? ' (operator routes need --token-file <data-dir>/.cookie when the node listens beyond loopback)'
      : '';
  return `${what}: HTTP ${status} ${body.error ?? ''}: ${body.message ?? ''}${hint}`;
}
