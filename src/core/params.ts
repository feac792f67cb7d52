// Network parameter sets. Everything a consensus rule needs to know about "which network" is here.
import { bitsToTarget } from './pow.js';

export const COIN = 100_000_000n; // base units per coin
export const MAX_MONEY = 21_000_000n * COIN;

/** Base units as coins, without trailing zeros: 150000000n → "1.5", -1n → "-0.00000001". */
export function formatCoins(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const fraction = (abs % COIN).toString().padStart(8, '0').replace(/0+$/, '');
  return `${sign}${abs / COIN}${fraction ? `.${fraction}` : ''}`;
}
export const MAX_BLOCK_SIZE = 1_000_000; // bytes, whole serialized block
export const MAX_TX_SIZE = 100_000; // bytes, policy and consensus
export const MAX_DATA_SIZE = 1024; // bytes in a transaction's data record
export const COINBASE_DATA_MIN = 44; // height u32 + extra-nonce u64 + signature root (32 bytes)
export const COINBASE_DATA_MAX = 100;
export const MAX_FUTURE_SECONDS = 2 * 60 * 60;
export const MEDIAN_TIME_SPAN = 11;
/** How much earlier than its parent the first block of a retarget window may be (BIP94's time-warp fix). */
export const MAX_TIMEWARP_SECONDS = 600;
/** Bytes of a revealed spending policy's encoding. */
export const MAX_POLICY_SIZE = 1024;
/** Nesting of a spending policy: a leaf has depth 1, and, or and thresh one more than their deepest child. */
export const MAX_POLICY_DEPTH = 8;
/** Signature checks (key spends plus signatures in policy witnesses) of one transaction, of one block. */
export const MAX_TX_SIGCHECKS = 1000;
export const MAX_BLOCK_SIGCHECKS = 8000;
/** Lock times below are block heights, at or above are times in seconds. */
export const LOCKTIME_THRESHOLD = 500_000_000;
/** A sequence with this bit set carries no relative lock; 0xffffffff is final. */
export const SEQUENCE_NO_RELATIVE_LOCK = 0x8000_0000;
export const SEQUENCE_FINAL = 0xffff_ffff;
/** The largest relative lock, in blocks. */
export const MAX_RELATIVE_LOCK = 0xffff;

export type NetworkName = 'main' | 'dev' | 'regtest';

export interface NetworkParams {
  readonly name: NetworkName;
  /** bech32m human-readable prefix of addresses. */
  readonly addressPrefix: string;
  /** Easiest target allowed, as compact bits; also the genesis block's bits. */
  readonly powLimitBits: number;
  readonly powLimit: bigint;
  /** Target seconds between blocks. */
  readonly targetSpacing: number;
  /** Blocks between difficulty adjustments. */
  readonly retargetInterval: number;
  /** When true the target never changes (regtest). */
  readonly noRetarget: boolean;
  /**
   * A faster retarget while the chain is young (dev): below `untilHeight` the target is adjusted every
   * `interval` blocks instead of every `retargetInterval`, so a new chain mined by a fast CPU reaches
   * its block spacing within a few dozen blocks instead of hundreds.
   */
  readonly earlyRetarget?: { readonly interval: number; readonly untilHeight: number };
  /**
   * The network id of a named network derived from this one (see networkWithId): its own genesis and
   * protocol names. Absent on the built-in networks.
   */
  readonly id?: string;
  readonly initialSubsidy: bigint;
  readonly halvingInterval: number;
  /** A coinbase output created at height h may be spent in a block at height >= h + coinbaseMaturity. */
  readonly coinbaseMaturity: number;
  /**
   * Headers-first sync downloads no branch whose chain work is below this (anti-DoS: a peer cannot make
   * us fetch and store a cheap chain). 0 where no chain history is fixed yet.
   */
  readonly minimumChainWork: bigint;
  readonly genesis: { readonly time: number; readonly nonce: number; readonly message: string };
  readonly defaultPort: number;
}

/** Dev's genesis is dated when its early retarget began, so a dev store of the earlier rules is refused. */
const DEV_GENESIS_TIME = 1_788_220_800; // 2026-09-01T00:00:00Z

function params(p: Omit<NetworkParams, 'powLimit'>): NetworkParams {
  const powLimit = bitsToTarget(p.powLimitBits);
  if (powLimit === null) throw new Error(`invalid powLimitBits for ${p.name}`);
  return Object.freeze({ ...p, powLimit });
}

export const NETWORKS: Readonly<Record<NetworkName, NetworkParams>> = {
  main: params({
    name: 'main',
    addressPrefix: 'hl',
    powLimitBits: 0x1f00ffff,
    targetSpacing: 60,
    retargetInterval: 60,
    noRetarget: false,
    initialSubsidy: 50n * COIN,
    halvingInterval: 210_000,
    coinbaseMaturity: 100,
    minimumChainWork: 0n,
    genesis: { time: 1_782_864_000, nonce: 23_756, message: 'Hashline main genesis' },
    defaultPort: 5000,
  }),
  dev: params({
    name: 'dev',
    addressPrefix: 'hldev',
    powLimitBits: 0x1f00ffff,
    targetSpacing: 10,
    retargetInterval: 20,
    noRetarget: false,
    earlyRetarget: { interval: 5, untilHeight: 60 },
    initialSubsidy: 50n * COIN,
    halvingInterval: 2_100,
    coinbaseMaturity: 1,
    minimumChainWork: 0n,
    genesis: { time: DEV_GENESIS_TIME, nonce: 158_563, message: 'Hashline dev genesis' },
    defaultPort: 5000,
  }),
  regtest: params({
    name: 'regtest',
    addressPrefix: 'hlrt',
    powLimitBits: 0x207fffff,
    targetSpacing: 10,
    retargetInterval: 20,
    noRetarget: true,
    initialSubsidy: 50n * COIN,
    halvingInterval: 150,
    coinbaseMaturity: 1,
    minimumChainWork: 0n,
    genesis: { time: 1_782_864_000, nonce: 0, message: 'Hashline regtest genesis' },
    defaultPort: 5000,
  }),
};

export function getNetwork(name: string): NetworkParams {
  const p = (NETWORKS as Record<string, NetworkParams>)[name];
  if (!p) throw new Error(`unknown network "${name}" (expected one of: ${Object.keys(NETWORKS).join(', ')})`);
  return p;
}

/** Block subsidy at a height: halves every halvingInterval blocks, zero after 64 halvings. */
export function blockSubsidy(params: NetworkParams, height: number): bigint {
  const halvings = Math.floor(height / params.halvingInterval);
  return halvings >= 64 ? 0n : params.initialSubsidy >> BigInt(halvings);
}
