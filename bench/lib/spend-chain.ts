// Deterministic regtest chains full of ordinary payments, for the benches that connect, sync or hold
// many blocks. Block 1 pays its coinbase to a bench key; block 2 fans that coin out; every later block
// carries `txsPerBlock` transactions, each spending one earlier output (oldest first) into two outputs.
// Signing uses node:crypto with each key imported once, so building 100,000 transactions takes seconds.
import { createHash, createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain, type SignatureVerifier } from '../../src/chain/chain.js';
import { type Block, blockHash } from '../../src/core/block.js';
import { ByteReader } from '../../src/core/bytes.js';
import { genesisBlock } from '../../src/core/genesis.js';
import { NETWORKS, type NetworkParams } from '../../src/core/params.js';
import { publicKeyHash, sighash, TX_VERSION, type Tx, type TxOutput, txid } from '../../src/core/tx.js';
import { keyPairFromPrivate } from '../../src/crypto/ed25519.js';
import { assembleBlock, solveBlock } from '../../src/miner/template.js';
import { openStore } from '../../src/node/level-store.js';
import type { ChainStore } from '../../src/store/store.js';

export const regtest: NetworkParams = NETWORKS.regtest;

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const NO_SIGNATURE = new Uint8Array(64);

export interface BenchKey {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  /** 20-byte address hash. */
  readonly address: Uint8Array;
  /** The private key imported into OpenSSL once, so each signature costs only the signing. */
  readonly signer: KeyObject;
}

/** Key number `n` (seed bytes all equal to n): the same key in every run. */
export function benchKey(n: number): BenchKey {
  const privateKey = new Uint8Array(32).fill(n & 0xff);
  const { publicKey } = keyPairFromPrivate(privateKey);
  const signer = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, privateKey]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey, address: publicKeyHash(publicKey), signer };
}

/** An unspent output the generator can spend. */
export interface OwnedCoin {
  readonly txid: Uint8Array;
  readonly index: number;
  readonly amount: bigint;
  readonly key: BenchKey;
}

/** A signed transaction spending `coins` (all of one key or several) into `outputs`. */
export function signedTx(
  coins: readonly OwnedCoin[],
  outputs: readonly TxOutput[],
): { tx: Tx; id: Uint8Array } {
  const unsigned: Tx = {
    version: TX_VERSION,
    inputs: coins.map((c) => ({
      prevTxid: c.txid,
      prevIndex: c.index,
      publicKey: c.key.publicKey,
      signature: NO_SIGNATURE,
    })),
    outputs,
    data: new Uint8Array(),
  };
  const id = txid(unsigned);
  const message = sighash(
    id,
    coins.map((c) => c.amount),
  );
  const inputs = unsigned.inputs.map((input, i) => ({
    ...input,
    signature: new Uint8Array(cryptoSign(null, message, coins[i]!.key.signer)),
  }));
  return { tx: { ...unsigned, inputs }, id };
}

export interface SpendChainOptions {
  /** Spending transactions in each block from block 3 on (0: coinbase-only blocks). */
  readonly txsPerBlock: number;
  /** Keys the outputs rotate over (default 16). */
  readonly keys?: number;
  /** Fee of each spending transaction, base units (default 200: above 1 unit/byte for 1-in-2-out). */
  readonly fee?: bigint;
  readonly params?: NetworkParams;
  /** Seconds between blocks (default 10). On dev, 13 keeps every retarget at the easiest target. */
  readonly spacing?: number;
  /** Finds the nonce (default solveBlock, one hash at a time: enough for regtest's target). */
  readonly solve?: (block: Block) => Block;
}

/** Builds the blocks one after another; each is valid on the previous one. */
export class SpendChainGenerator {
  readonly params: NetworkParams;
  readonly txsPerBlock: number;
  private readonly keys: BenchKey[];
  private readonly fee: bigint;
  private nextKey = 0;
  /** Spendable coins, oldest first. */
  private readonly coins: OwnedCoin[] = [];
  private coinHead = 0;
  height = 0;
  prevHash: Uint8Array;
  private time: number;
  private readonly spacing: number;
  private readonly solve: (block: Block) => Block;
  /** Spending transactions generated so far. */
  txCount = 0;

  constructor(opts: SpendChainOptions) {
    this.params = opts.params ?? regtest;
    this.txsPerBlock = opts.txsPerBlock;
    this.fee = opts.fee ?? 200n;
    this.keys = Array.from({ length: opts.keys ?? 16 }, (_, i) => benchKey(0x40 + i));
    const genesis = genesisBlock(this.params);
    this.prevHash = blockHash(genesis);
    this.time = genesis.header.time;
    this.spacing = opts.spacing ?? 10;
    this.solve = opts.solve ?? ((block) => solveBlock(block)!);
  }

  private key(): BenchKey {
    const key = this.keys[this.nextKey]!;
    this.nextKey = (this.nextKey + 1) % this.keys.length;
    return key;
  }

  /** The oldest coin worth splitting; smaller ones (late coinbases of fees only) stay unspent. */
  private takeCoin(): OwnedCoin {
    let coin = this.coins[this.coinHead++];
    while (coin && coin.amount < this.fee + 2n) coin = this.coins[this.coinHead++];
    if (!coin) throw new Error('the generator ran out of spendable coins');
    // Drop spent coins now and then so the queue does not keep every coin ever made.
    if (this.coinHead > 4096) {
      this.coins.splice(0, this.coinHead);
      this.coinHead = 0;
    }
    return coin;
  }

  /** One 1-in-2-out payment, halving the coin less the fee. */
  private payment(): { tx: Tx; fee: bigint; made: OwnedCoin[] } {
    const coin = this.takeCoin();
    const rest = coin.amount - this.fee;
    const half = rest / 2n;
    const keys = [this.key(), this.key()];
    const amounts = [half, rest - half];
    const { tx, id } = signedTx(
      [coin],
      keys.map((k, i) => ({ amount: amounts[i]!, address: k.address })),
    );
    return {
      tx,
      fee: this.fee,
      made: keys.map((key, index) => ({ txid: id, index, amount: amounts[index]!, key })),
    };
  }

  /** Block 2: the first coinbase split into enough coins for the blocks that follow. */
  private fanOut(): { tx: Tx; fee: bigint; made: OwnedCoin[] } {
    const coin = this.takeCoin();
    const count = Math.max(2, 2 * this.txsPerBlock);
    const each = (coin.amount - this.fee) / BigInt(count);
    const keys = Array.from({ length: count }, () => this.key());
    const { tx, id } = signedTx(
      [coin],
      keys.map((k) => ({ amount: each, address: k.address })),
    );
    return {
      tx,
      fee: coin.amount - each * BigInt(count),
      made: keys.map((key, index) => ({ txid: id, index, amount: each, key })),
    };
  }

  next(): Block {
    const height = this.height + 1;
    const payments: Array<{ tx: Tx; fee: bigint; made: OwnedCoin[] }> = [];
    if (this.txsPerBlock > 0 && height === 2) payments.push(this.fanOut());
    else if (this.txsPerBlock > 0 && height > 2)
      for (let i = 0; i < this.txsPerBlock; i++) payments.push(this.payment());
    this.time += this.spacing;
    const coinbaseKey = this.key();
    const block = this.solve(
      assembleBlock({
        params: this.params,
        height,
        prevHash: this.prevHash,
        bits: this.params.powLimitBits,
        time: this.time,
        minerAddress: coinbaseKey.address,
        txs: payments.map((p) => ({ tx: p.tx, fee: p.fee })),
      }),
    );
    // Outputs become spendable from the next block on (regtest coinbase maturity is 1).
    const coinbase = block.txs[0]!;
    this.coins.push({
      txid: txid(coinbase),
      index: 0,
      amount: coinbase.outputs[0]!.amount,
      key: coinbaseKey,
    });
    for (const p of payments) this.coins.push(...p.made);
    this.txCount += payments.length;
    this.height = height;
    this.prevHash = blockHash(block);
    return block;
  }
}

export const skipSignatures: SignatureVerifier = async () => -1;

/** A temporary directory removed by cleanup(). */
export function scratchDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Writes `count` more generated blocks into a chain (signatures are not re-verified: the generator
 * made them). Resolves when the last one is connected.
 */
export async function extendChain(
  chain: Chain,
  generator: SpendChainGenerator,
  count: number,
  onProgress?: (height: number) => void,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const block = generator.next();
    const r = await chain.processBlock(block);
    if (r.status !== 'connected') {
      throw new Error(
        `generated block ${generator.height} was not connected: ${r.status} ${r.error?.code ?? ''}`,
      );
    }
    if (onProgress && generator.height % 1000 === 0) onProgress(generator.height);
  }
}

/** Opens a chain on the store in `dir` that trusts signatures (for writing generated blocks fast). */
export async function openWriterChain(dir: string, params: NetworkParams = regtest): Promise<Chain> {
  const store = await openStore(dir);
  return Chain.open({ store, params, verifySignatures: skipSignatures });
}

/** Number of transactions in a serialized block (the varint after the 80-byte header). */
export function txCountOf(blockBytes: Uint8Array): number {
  return new ByteReader(blockBytes.subarray(80)).varint();
}

/** Raw bytes of the active chain's blocks `from..to` (inclusive), read from a store. */
export async function readBlocks(store: ChainStore, from: number, to: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let h = from; h <= to; h++) {
    const hash = await store.blocks.getHashAtHeight(h);
    const bytes = hash && (await store.blocks.getBlockBytes(hash));
    if (!bytes) throw new Error(`the source store has no block at height ${h}`);
    out.push(bytes);
  }
  return out;
}

/** Blocks per processBlocks() call in timed imports: what a sync hands over of ~15 kB blocks (1 MB batches). */
export const RUN_BLOCKS = 64;

export interface ImportResult {
  readonly blocks: number;
  /** Non-coinbase transactions. */
  readonly txs: number;
  readonly seconds: number;
  /** Blocks per second of the fastest window of `window` blocks (less exposed to other load). */
  readonly bestWindowBlocksPerSecond: number;
  readonly bestWindowTxsPerSecond: number;
  /** Seconds each window of `window` blocks took, in order. */
  readonly windowSeconds: readonly number[];
  /** Seconds the explorer indexer took to catch up after the import (with `timeIndexer`). */
  readonly indexerSeconds?: number;
  /** CPU seconds of this process (every thread: the verifier pool's too) over the timed blocks. */
  readonly cpuSeconds: number;
}

/**
 * The core measurement of connecting blocks from a store: a fresh Chain on an empty store imports the
 * source store's blocks `1..to` from their raw bytes, read from the source as it goes. Blocks up to
 * `untimedTo` are imported first without being timed (the generator's set-up blocks).
 */
export async function timeImportFromStore(
  source: ChainStore,
  opts: {
    to: number;
    untimedTo?: number;
    verifySignatures: SignatureVerifier;
    window?: number;
    /** Blocks handed to the chain at once (Chain.processBlocks), as a sync hands over what it downloaded. */
    runBlocks?: number;
    /** Also time the explorer indexer catching up after the last block (ImportResult.indexerSeconds). */
    timeIndexer?: boolean;
    params?: NetworkParams;
  },
): Promise<ImportResult> {
  const dir = scratchDir('hashline-bench-import-');
  const store = await openStore(dir.path);
  try {
    const chain = await Chain.open({
      store,
      params: opts.params ?? regtest,
      verifySignatures: opts.verifySignatures,
      // Timed, the whole catch-up comes after the last block (by default it would start at 1,000 behind).
      ...(opts.timeIndexer ? { indexer: { lagBlocks: Number.MAX_SAFE_INTEGER } } : {}),
    });
    const submit = async (bytes: Uint8Array, height: number) => {
      const r = await chain.processBlock(bytes);
      if (r.status !== 'connected') {
        throw new Error(
          `block ${height} did not connect on import: ${r.status} ${r.error?.code ?? ''} ${r.error?.message ?? ''}`,
        );
      }
    };
    const untimedTo = opts.untimedTo ?? 0;
    for (const [i, bytes] of (await readBlocks(source, 1, untimedTo)).entries()) await submit(bytes, i + 1);
    const window = opts.window ?? 100;
    const runBlocks = opts.runBlocks ?? RUN_BLOCKS;
    let txs = 0;
    let windowTxs = 0;
    let bestBlocks = 0;
    let bestTxs = 0;
    const windowSeconds: number[] = [];
    // Read before the clock starts: reading the source store is not the import's work.
    const timed = await readBlocks(source, untimedTo + 1, opts.to);
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    let windowStart = start;
    for (let first = untimedTo + 1; first <= opts.to; first += runBlocks) {
      const run = timed.slice(first - untimedTo - 1, first - untimedTo - 1 + runBlocks);
      const results = await chain.processBlocks(run);
      results.forEach((r, i) => {
        if (r.status !== 'connected') {
          throw new Error(
            `block ${first + i} did not connect on import: ${r.status} ${r.error?.code ?? ''} ${r.error?.message ?? ''}`,
          );
        }
      });
      for (const [i, bytes] of run.entries()) {
        const n = txCountOf(bytes) - 1;
        txs += n;
        windowTxs += n;
        if ((first + i - untimedTo) % window === 0) {
          const now = performance.now();
          const s = (now - windowStart) / 1000;
          windowSeconds.push(s);
          bestBlocks = Math.max(bestBlocks, window / s);
          bestTxs = Math.max(bestTxs, windowTxs / s);
          windowStart = now;
          windowTxs = 0;
        }
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    let indexerSeconds: number | undefined;
    if (opts.timeIndexer) {
      const indexStart = performance.now();
      await chain.indexer.caughtUp();
      indexerSeconds = (performance.now() - indexStart) / 1000;
    }
    return {
      indexerSeconds,
      cpuSeconds,
      blocks: opts.to - untimedTo,
      txs,
      seconds,
      bestWindowBlocksPerSecond: bestBlocks,
      bestWindowTxsPerSecond: bestTxs,
      windowSeconds,
    };
  } finally {
    await store.close();
    dir.cleanup();
  }
}

/** A signed message: what the verifier benches check over and over. */
export interface SignedCase {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** 64 valid Ed25519 signatures by the bench keys, each over a different 32-byte message. */
export function signedCases(): SignedCase[] {
  return Array.from({ length: 64 }, (_, i) => {
    const key = benchKey(i + 1);
    const message = new Uint8Array(createHash('sha256').update(`message ${i}`).digest());
    return {
      publicKey: key.publicKey,
      message,
      signature: new Uint8Array(cryptoSign(null, message, key.signer)),
    };
  });
}
