// An in-memory ChainAccess for network tests. Blocks are an 80-byte header
// (version | prev hash | sha256(payload) | height | nonce…) followed by a payload; the
// chain accepts a block when its parent is known, keeps orphans until their parent
// arrives, rejects payloads starting with "BAD", and reports a payload that does not
// match its header commitment as malleated. Work is one unit per block.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { blockHashOf, prevHashOf } from '../../../src/p2p/header.js';
import type {
  ChainAccess,
  ChainTip,
  HeadersVerdict,
  RelayEvent,
  SubmitResult,
} from '../../../src/p2p/types.js';

const utf8 = new TextEncoder();
const ZERO_HASH = '00'.repeat(32);

export function makeBlock(prevHash: string, payload: string | Uint8Array, height = 0): Uint8Array {
  const body = typeof payload === 'string' ? utf8.encode(payload) : payload;
  const block = new Uint8Array(80 + body.length);
  const view = new DataView(block.buffer);
  view.setUint32(0, 1, true);
  block.set(hexToBytes(prevHash), 4);
  block.set(sha256(body), 36);
  view.setUint32(68, height, true);
  block.set(body, 80);
  return block;
}

export function makeGenesis(seed = 'hashline-test'): Uint8Array {
  return makeBlock(ZERO_HASH, `genesis:${seed}`);
}

export function makeTx(text: string): Uint8Array {
  return utf8.encode(`tx:${text}`);
}

/** The fake chain's txid: SHA-256 of the bytes, hex. */
export function txidOf(tx: Uint8Array): string {
  return bytesToHex(sha256(tx));
}

interface Entry {
  bytes: Uint8Array;
  height: number;
  work: bigint;
}

export interface Submission {
  hash: string;
  from?: string;
  status: SubmitResult['status'];
}

export class FakeChain implements ChainAccess {
  readonly genesisHash: string;
  private readonly entries = new Map<string, Entry>();
  private readonly orphans = new Map<string, Uint8Array[]>(); // parent hash → children
  private readonly orphanHashes = new Set<string>();
  private active: string[] = [];
  readonly submissions: Submission[] = [];
  readonly txs = new Map<string, { bytes: Uint8Array; from?: string }>();
  readonly txSubmissions: { tx: string; from?: string; status: SubmitResult['status'] }[] = [];
  /** Tip changes are not reported while true (a chain that does not announce its new tip). */
  quiet = false;
  private readonly tipListeners = new Set<(tip: ChainTip) => void>();

  constructor(
    readonly network = 'regtest',
    genesis: Uint8Array = makeGenesis(),
  ) {
    this.genesisHash = blockHashOf(genesis);
    this.entries.set(this.genesisHash, { bytes: genesis, height: 0, work: 1n });
    this.active = [this.genesisHash];
  }

  /** Appends `count` blocks on the tip, payloads `${tag}:${height}`; returns them. */
  extend(count: number, tag = 'main'): Uint8Array[] {
    const made: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const height = this.active.length;
      const block = makeBlock(this.tip().hash, `${tag}:${height}`, height);
      this.connect(block);
      made.push(block);
    }
    return made;
  }

  /** The next block on the tip, without submitting it. */
  nextBlock(tag = 'main', bad = false): Uint8Array {
    const height = this.active.length;
    return makeBlock(this.tip().hash, `${bad ? 'BAD' : ''}${tag}:${height}`, height);
  }

  /** Stores a block without checking it (a dishonest or buggy peer's chain). */
  connectUnchecked(bytes: Uint8Array): void {
    this.connect(bytes);
  }

  activeHashes(): string[] {
    return [...this.active];
  }

  blockAt(height: number): Uint8Array {
    return this.entries.get(this.active[height])!.bytes;
  }

  readonly minimumChainWork = 0n;
  private readonly relayListeners = new Set<(event: RelayEvent) => void>();

  onRelay(listener: (event: RelayEvent) => void): () => void {
    this.relayListeners.add(listener);
    return () => this.relayListeners.delete(listener);
  }

  /** Reports something to pass on, as the node does (a new tip block, a local transaction). */
  relay(event: RelayEvent): void {
    for (const l of this.relayListeners) l(event);
  }

  /** Linkage only (the fake's blocks carry no proof of work): work = our work at the parent + 1 per header. */
  checkHeaders(headers: readonly Uint8Array[]): HeadersVerdict {
    const parent = headers.length > 0 ? this.entries.get(prevHashOf(headers[0]!)) : undefined;
    if (!parent) return { status: 'unconnected' };
    for (let i = 1; i < headers.length; i++) {
      if (prevHashOf(headers[i]!) !== blockHashOf(headers[i - 1]!))
        return { status: 'invalid', index: i, code: 'bad-prev-block' };
    }
    return { status: 'ok', work: parent.work + BigInt(headers.length) };
  }

  tip() {
    const hash = this.active[this.active.length - 1];
    const entry = this.entries.get(hash)!;
    return { height: entry.height, hash, chainWork: entry.work };
  }

  blockLocator(): string[] {
    const out: string[] = [];
    let step = 1;
    for (let h = this.active.length - 1; h > 0; h -= step) {
      out.push(this.active[h]);
      if (out.length >= 10) step *= 2;
    }
    out.push(this.genesisHash);
    return out;
  }

  async headersAfter(locator: string[], max: number): Promise<Uint8Array[]> {
    let start = 1;
    for (const hash of locator) {
      const entry = this.entries.get(hash);
      if (entry && this.active[entry.height] === hash) {
        start = entry.height + 1;
        break;
      }
    }
    return this.active.slice(start, start + max).map((h) => this.entries.get(h)!.bytes.slice(0, 80));
  }

  async getBlock(hash: string): Promise<Uint8Array | undefined> {
    return this.entries.get(hash)?.bytes;
  }

  hasBlock(hash: string): boolean {
    return this.entries.has(hash) || this.orphanHashes.has(hash);
  }

  async submitBlock(bytes: Uint8Array, fromPeer?: string): Promise<SubmitResult> {
    const result = this.check(bytes);
    const hash = bytes.length >= 80 ? blockHashOf(bytes) : '';
    this.submissions.push({ hash, from: fromPeer, status: result.status });
    return result;
  }

  /** Runs handed over together, as the chain sees them. */
  readonly runs: Array<{ blocks: number; from: string | readonly string[] | undefined }> = [];

  async submitBlocks(
    blocks: readonly Uint8Array[],
    from?: string | readonly string[],
  ): Promise<SubmitResult[]> {
    this.runs.push({ blocks: blocks.length, from });
    const results: SubmitResult[] = [];
    for (const [i, bytes] of blocks.entries())
      results.push(await this.submitBlock(bytes, typeof from === 'string' ? from : from?.[i]));
    return results;
  }

  private check(bytes: Uint8Array): SubmitResult {
    if (bytes.length < 80) return { status: 'invalid', code: 'short' };
    const hash = blockHashOf(bytes);
    if (this.hasBlock(hash)) return { status: 'duplicate' };
    const payload = bytes.subarray(80);
    if (bytesToHex(sha256(payload)) !== bytesToHex(bytes.subarray(36, 68))) {
      return { status: 'invalid', code: 'bad-commitment', malleated: true };
    }
    if (new TextDecoder().decode(payload.subarray(0, 3)) === 'BAD')
      return { status: 'invalid', code: 'bad-block' };
    const parent = prevHashOf(bytes);
    if (!this.entries.has(parent)) {
      const siblings = this.orphans.get(parent) ?? [];
      siblings.push(bytes);
      this.orphans.set(parent, siblings);
      this.orphanHashes.add(hash);
      return { status: 'orphan' };
    }
    this.connect(bytes);
    return { status: 'accepted', tip: this.active.includes(hash) };
  }

  private connect(bytes: Uint8Array): void {
    const hash = blockHashOf(bytes);
    const parent = this.entries.get(prevHashOf(bytes))!;
    const entry = { bytes, height: parent.height + 1, work: parent.work + 1n };
    this.entries.set(hash, entry);
    if (entry.work > this.tip().chainWork) this.setTip(hash);
    // Children waiting for this block can connect now.
    const children = this.orphans.get(hash) ?? [];
    this.orphans.delete(hash);
    for (const child of children) {
      this.orphanHashes.delete(blockHashOf(child));
      this.connect(child);
    }
  }

  onTip(listener: (tip: ChainTip) => void): () => void {
    this.tipListeners.add(listener);
    return () => this.tipListeners.delete(listener);
  }

  private setTip(hash: string): void {
    this.moveTip(hash);
    if (this.quiet) return;
    const tip = this.tip();
    for (const listener of this.tipListeners) listener(tip);
  }

  private moveTip(hash: string): void {
    const entry = this.entries.get(hash)!;
    if (prevHashOf(entry.bytes) === this.tip().hash) {
      this.active.push(hash);
      return;
    }
    const chain: string[] = [];
    let cursor: string = hash;
    for (;;) {
      const e = this.entries.get(cursor)!;
      chain.push(cursor);
      if (e.height === 0) break;
      cursor = prevHashOf(e.bytes);
    }
    this.active = chain.reverse();
  }

  /**
   * Pending transactions by txid (see txidOf); "tx:BAD…" ones are invalid, and "tx:<x>><y>" spends
   * makeTx(x): refused as `missing-inputs` while that one is not in the pool.
   */
  async submitTx(bytes: Uint8Array, fromPeer?: string): Promise<SubmitResult> {
    const txid = txidOf(bytes);
    const text = new TextDecoder().decode(bytes);
    const parent = /^tx:(.+)>[^>]*$/.exec(text)?.[1];
    let status: SubmitResult['status'];
    if (this.txs.has(txid)) status = 'duplicate';
    else if (text.startsWith('tx:BAD')) status = 'invalid';
    else if (parent !== undefined && !this.txs.has(txidOf(makeTx(parent)))) {
      this.txSubmissions.push({ tx: text, from: fromPeer, status: 'duplicate' });
      return { status: 'duplicate', code: 'missing-inputs' };
    } else {
      status = 'accepted';
      this.txs.set(txid, { bytes, from: fromPeer });
    }
    this.txSubmissions.push({ tx: new TextDecoder().decode(bytes), from: fromPeer, status });
    return status === 'accepted' ? { status, txid } : { status };
  }

  /** Puts a transaction in the pool without checks (what a dishonest peer may hold). */
  addTxUnchecked(bytes: Uint8Array): string {
    const txid = txidOf(bytes);
    this.txs.set(txid, { bytes });
    return txid;
  }

  pendingTxids(): string[] {
    return [...this.txs.keys()];
  }

  getPendingTx(txid: string): Uint8Array | undefined {
    return this.txs.get(txid)?.bytes;
  }
}
