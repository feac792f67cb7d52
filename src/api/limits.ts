// What one caller, and all callers together, may make the HTTP server hold or spend: connections and
// their timeouts (http-limits.ts), event-stream clients (sse-clients.ts) and expensive reads
// (cost-limit.ts). The numbers are documented in docs/api.md, "Security"; tests shrink them through
// HASHLINE_HTTP_LIMITS (a JSON object of overrides) so that a limit is reached in seconds.

export interface ApiLimits {
  /** Time for a request's line and headers to arrive (slowloris). */
  readonly headersTimeoutMs: number;
  /** Time for a whole request, body included, to arrive: a 2 MB block at about 20 kB/s. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** How often the server looks for requests past the two timeouts above. */
  readonly timeoutCheckMs: number;
  /**
   * A connection where nothing moves for this long is closed: idle, or an answer its client stopped
   * reading. A request still being worked on (mining a block) is left alone.
   */
  readonly stalledMs: number;
  /** Open connections, all callers together; past it a new one gets 503 `too-many-connections`. */
  readonly maxConnections: number;
  /** Open connections from one IP address. */
  readonly maxConnectionsPerIp: number;
  /** Event streams (GET /api/v1/events), all callers together; past it 503 `too-many-event-streams`. */
  readonly sseMaxClients: number;
  /** Event streams from one IP address; past it 429 `too-many-event-streams`. */
  readonly sseMaxClientsPerIp: number;
  /** Bytes queued for an event-stream client that does not read; past it the stream is dropped. */
  readonly sseMaxQueuedBytes: number;
  /** How often the stream sends a `status` event (which also keeps proxies from closing it). */
  readonly sseStatusIntervalMs: number;
  /** Cost units of expensive reads one caller (IP address) may have running at once. */
  readonly costPerCaller: number;
  /** Cost units of expensive reads running at once, all callers together. */
  readonly costTotal: number;
  /** Expensive reads of one caller waiting for a turn; past it 429 `too-many-expensive-reads`. */
  readonly costQueuePerCaller: number;
  /** Expensive reads waiting, all callers together. */
  readonly costQueueTotal: number;
  /** A waiting expensive read is refused (429) after this long. */
  readonly costMaxWaitMs: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  timeoutCheckMs: 2_000,
  stalledMs: 60_000,
  maxConnections: 512,
  maxConnectionsPerIp: 128,
  sseMaxClients: 128,
  sseMaxClientsPerIp: 16,
  sseMaxQueuedBytes: 256 * 1024,
  sseStatusIntervalMs: 5_000,
  costPerCaller: 4,
  costTotal: 8,
  costQueuePerCaller: 64,
  costQueueTotal: 256,
  costMaxWaitMs: 30_000,
};

/** The defaults with some values replaced; each must be a positive integer. */
export function withLimits(overrides: Partial<ApiLimits> = {}): ApiLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in DEFAULT_LIMITS)) throw new Error(`unknown HTTP limit "${name}"`);
    if (!Number.isSafeInteger(value) || (value as number) <= 0)
      throw new Error(`HTTP limit ${name} must be a positive integer, got ${JSON.stringify(value)}`);
    (limits as Record<string, number>)[name] = value as number;
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new Error('HTTP limit headersTimeoutMs must not exceed requestTimeoutMs');
  return limits;
}

/** Overrides from the HASHLINE_HTTP_LIMITS environment variable (JSON), for tests and benches. */
export function limitsFromEnv(value: string | undefined): Partial<ApiLimits> {
  if (value === undefined || value.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error('HASHLINE_HTTP_LIMITS must be a JSON object such as {"headersTimeoutMs": 2000}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('HASHLINE_HTTP_LIMITS must be a JSON object such as {"headersTimeoutMs": 2000}');
  withLimits(parsed as Partial<ApiLimits>); // refuses unknown names and bad values now, at start
  return parsed as Partial<ApiLimits>;
}
