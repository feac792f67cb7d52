// http URLs of other nodes registered by the operator (--peer http://… or /nodes/register): each is
// resolved to libp2p addresses (resolveHttpPeer) and dialled, with its own state: connected peer
// id, failures with backoff, one log line when it starts failing and one when it recovers. The list
// is kept across restarts; a URL can be removed.
import type { P2PLogger } from '../p2p/index.js';

export interface HttpPeerState {
  url: string;
  /** The libp2p peer id the URL turned out to be, once a dial succeeded. */
  peerId?: string;
  connected: boolean;
  /** Attempts since the last success. */
  attempts: number;
  /** Unix ms of the first failure of the current run of failures. */
  failingSince?: number;
  lastError?: string;
  /** Unix ms before which it is not tried again (unless asked). */
  nextAttemptAt?: number;
}

export interface HttpPeerDeps {
  resolve(url: string): Promise<string[]>;
  dial(addr: string): Promise<void>;
  connectedPeerIds(): string[];
  load(): Promise<string[]>;
  save(urls: string[]): Promise<void>;
  log: P2PLogger;
  now?: () => number;
}

const BACKOFF_BASE_MS = 15_000;
const BACKOFF_MAX_MS = 10 * 60_000;
const MAX_URLS = 64;

type Entry = Omit<HttpPeerState, 'url' | 'connected'> & { busy?: Promise<boolean> };

export class HttpPeers {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(private readonly deps: HttpPeerDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The saved list, plus `extra` (from the command line). */
  async load(extra: readonly string[]): Promise<void> {
    for (const url of [...(await this.deps.load()), ...extra]) this.add(url);
  }

  urls(): string[] {
    return [...this.entries.keys()];
  }

  private add(url: string): boolean {
    if (this.entries.has(url) || this.entries.size >= MAX_URLS) return false;
    this.entries.set(url, { attempts: 0 });
    return true;
  }

  /** Adds URLs, saves the list, and tries each at once; resolves with their states after the attempt. */
  async register(urls: readonly string[]): Promise<HttpPeerState[]> {
    for (const url of urls) this.add(url);
    await this.deps.save(this.urls());
    await Promise.all(urls.map((u) => this.connect(u)));
    return this.states().filter((s) => urls.includes(s.url));
  }

  /** Removes a URL from the list (its peer stays connected until it goes); true if it was there. */
  async remove(url: string): Promise<boolean> {
    if (!this.entries.delete(url)) return false;
    await this.deps.save(this.urls());
    return true;
  }

  states(): HttpPeerState[] {
    const connected = new Set(this.deps.connectedPeerIds());
    return [...this.entries].map(([url, e]) => {
      const state: HttpPeerState = {
        url,
        connected: e.peerId !== undefined && connected.has(e.peerId),
        attempts: e.attempts,
      };
      if (e.peerId !== undefined) state.peerId = e.peerId;
      if (e.failingSince !== undefined) state.failingSince = e.failingSince;
      if (e.lastError !== undefined) state.lastError = e.lastError;
      if (e.nextAttemptAt !== undefined) state.nextAttemptAt = e.nextAttemptAt;
      return state;
    });
  }

  /** Tries the URLs that are neither connected nor backing off. */
  tick(): void {
    const connected = new Set(this.deps.connectedPeerIds());
    const now = this.now();
    for (const [url, e] of this.entries) {
      if (e.peerId !== undefined && connected.has(e.peerId)) continue;
      if (e.nextAttemptAt !== undefined && e.nextAttemptAt > now) continue;
      void this.connect(url);
    }
  }

  /** Resolves and dials one URL now; true when connected. */
  connect(url: string): Promise<boolean> {
    const e = this.entries.get(url);
    if (!e) return Promise.resolve(false);
    e.busy ??= this.attempt(url, e).finally(() => {
      e.busy = undefined;
    });
    return e.busy;
  }

  private async attempt(url: string, e: Entry): Promise<boolean> {
    let error = 'no address answered';
    try {
      for (const addr of await this.deps.resolve(url)) {
        try {
          await this.deps.dial(addr);
          this.succeeded(url, e, addr.slice(addr.lastIndexOf('/p2p/') + 5));
          return true;
        } catch (err) {
          error = `${addr}: ${(err as Error).message}`;
        }
      }
    } catch (err) {
      error = (err as Error).message;
    }
    this.failed(url, e, error);
    return false;
  }

  private succeeded(url: string, e: Entry, peerId: string): void {
    if (e.failingSince !== undefined) this.deps.log.info({ url, peer: peerId }, 'http peer reachable again');
    e.peerId = peerId;
    e.attempts = 0;
    e.failingSince = undefined;
    e.lastError = undefined;
    e.nextAttemptAt = undefined;
  }

  private failed(url: string, e: Entry, error: string): void {
    const now = this.now();
    if (e.failingSince === undefined) {
      e.failingSince = now;
      this.deps.log.info({ url, err: error }, `peer unreachable: ${url}: ${error}; retrying with backoff`);
    }
    e.attempts++;
    e.lastError = error.slice(0, 200);
    e.nextAttemptAt = now + Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(e.attempts - 1, 20));
  }
}
