// The calls `hashline chain export|import` make to a node's REST API (docs/api.md): the typed client
// (src/api/client.ts), with the operator token when one is given and errors that say what to do.
import { readFile } from 'node:fs/promises';
import { type ApiClient, ApiError, createApiClient } from '../api/client.js';

/** Until a JSON answer, or a download's headers (its body takes its time). */
const TIMEOUT_MS = 60_000;

/** The node did not answer (stopped, killed, wrong URL): the command can be run again. */
export class NodeUnreachable extends Error {}

export class NodeHttp {
  private constructor(
    readonly baseUrl: string,
    private readonly api: ApiClient,
  ) {}

  /** `tokenFile`: the node's `<data-dir>/.cookie`, needed for operator routes beyond loopback. */
  static async open(baseUrl: string, tokenFile?: string): Promise<NodeHttp> {
    const token = tokenFile ? (await readFile(tokenFile, 'utf8')).trim() : undefined;
    const url = baseUrl.replace(/\/+$/, '');
    return new NodeHttp(url, createApiClient({ baseUrl: url, token, timeoutMs: TIMEOUT_MS }));
  }

  /**
   * One call of the typed client. No answer throws NodeUnreachable; the node's refusal throws the
   * client's ApiError (with its status and code), which `refused` turns into a sentence.
   */
  async call<T>(request: (api: ApiClient) => Promise<T>): Promise<T> {
    try {
      return await request(this.api);
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) throw new NodeUnreachable(e.message);
      throw e;
    }
  }
}

/** A node's refusal as one sentence, with the way out for the access errors. */
export function refusal(what: string, e: ApiError): string {
  const hint =
    e.status === 401 || e.status === 403
      ? ' (operator routes need --token-file <data-dir>/.cookie when the node listens beyond loopback)'
      : '';
  return `${what}: HTTP ${e.status} ${e.code}: ${e.message}${hint}`;
}

/** The error to throw for a failed call: the node's refusal as a sentence; anything else as it is. */
export const refused = (what: string, e: unknown): unknown =>
  e instanceof ApiError ? new Error(refusal(what, e)) : e;
