// The sanity rules: a header alone (and the clock), a block's body against its header and its shape,
// a transaction alone. In the order checkBlockSanity and checkTxSanity run them.
import { type Block, encodeBlock } from './block.js';
import { equalBytes, toHex } from './bytes.js';
import { type BlockHeader, headerHash } from './header.js';
import { merkleRoot } from './merkle.js';
import {
  COINBASE_DATA_MAX,
  COINBASE_DATA_MIN,
  MAX_BLOCK_SIZE,
  MAX_DATA_SIZE,
  MAX_FUTURE_SECONDS,
  MAX_MONEY,
  MAX_TX_SIZE,
  type NetworkParams,
} from './params.js';
import { TX_POLICY_SANITY_RULES, type TxFacts } from './policy-rules.js';
import { bitsToTarget, hashMeetsTarget } from './pow.js';
import { broken, type Rule } from './rule.js';
import {
  decodeCoinbaseData,
  isCoinbase,
  outpointKey,
  signatureRoot,
  TX_VERSION,
  TX_VERSION_2,
  txid,
} from './tx.js';

export const BLOCK_VERSION = 1;
// ---------------------------------------------------------------------------------------------
// Sanity: the header alone (and the clock)

/** A header and what its rules work out once (the target, then the hash). */
export class HeaderFacts {
  target: bigint | null = null;
  hash: Uint8Array | undefined;
  constructor(
    readonly header: BlockHeader,
    readonly params: NetworkParams,
    readonly now: number,
  ) {}
}

export const HEADER_SANITY_RULES: readonly Rule<HeaderFacts>[] = [
  {
    level: 'sanity',
    code: 'bad-version',
    description: 'header version is 1',
    check: ({ header }) => {
      if (header.version !== BLOCK_VERSION)
        broken('bad-version', `block version ${header.version} is not ${BLOCK_VERSION}`);
    },
  },
  {
    level: 'sanity',
    code: 'bad-bits',
    description: "bits encode a target within the network's limit",
    check: (f) => {
      const target = bitsToTarget(f.header.bits);
      if (target === null || target === 0n || target > f.params.powLimit) {
        broken(
          'bad-bits',
          `bits 0x${f.header.bits.toString(16)} do not encode a target within the network's limit`,
        );
      }
      f.target = target;
    },
  },
  {
    level: 'sanity',
    code: 'bad-pow',
    description: 'header hash is at most the target',
    check: (f) => {
      const hash = headerHash(f.header);
      if (!hashMeetsTarget(hash, f.target!)) broken('bad-pow', `hash ${toHex(hash)} is above the target`);
      f.hash = hash;
    },
  },
  {
    level: 'sanity',
    code: 'time-too-new',
    description: `time at most ${MAX_FUTURE_SECONDS} s ahead of the clock`,
    check: ({ header, now }) => {
      if (header.time > now + MAX_FUTURE_SECONDS) {
        broken(
          'time-too-new',
          `block time ${header.time} is more than ${MAX_FUTURE_SECONDS} s ahead of ${now}`,
        );
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Sanity: the body against the header, then the block's shape

/** A block and what its rules work out once (the txids). */
export class BlockFacts extends HeaderFacts {
  private ids: Uint8Array[] | undefined;
  constructor(
    readonly block: Block,
    params: NetworkParams,
    now: number,
    readonly encodedSize?: number,
  ) {
    super(block.header, params, now);
  }
  get txids(): Uint8Array[] {
    this.ids ??= this.block.txs.map(txid);
    return this.ids;
  }
}

export const BODY_SANITY_RULES: readonly Rule<BlockFacts>[] = [
  {
    level: 'sanity',
    code: 'bad-merkle-root',
    description: "Merkle root of the txids equals the header's",
    check: (f) => {
      if (!equalBytes(merkleRoot(f.txids), f.header.merkleRoot)) broken('bad-merkle-root');
    },
  },
  {
    // A root can match a list with a repeated subtree (CVE-2012-2459: [a, b, c] and [a, b, c, c]
    // share one); any such list repeats a txid, so refusing repeats makes a root name one list.
    level: 'sanity',
    code: 'duplicate-tx',
    description: 'no txid appears twice',
    check: (f) => {
      const seen = new Set<string>();
      for (const id of f.txids) {
        const hex = toHex(id);
        if (seen.has(hex)) broken('duplicate-tx', `transaction ${hex} appears twice`);
        seen.add(hex);
      }
    },
  },
  {
    // A block whose first transaction is no coinbase, or whose coinbase data is too short to hold a
    // root, is left to the later rules (bad-coinbase, bad-coinbase-data): the txids cover that, so it
    // is the header's fault.
    level: 'sanity',
    code: 'bad-sig-commitment',
    description: "signatures match the coinbase's signature root",
    check: ({ block }) => {
      const coinbase = block.txs[0];
      if (!coinbase || !isCoinbase(coinbase) || coinbase.data.length < COINBASE_DATA_MIN) return;
      const committed = decodeCoinbaseData(coinbase.data).sigRoot;
      if (!equalBytes(signatureRoot(block.txs.slice(1)), committed)) {
        broken('bad-sig-commitment', `the signatures do not match the signature root ${toHex(committed)}`);
      }
    },
  },
  {
    level: 'sanity',
    code: 'block-too-large',
    description: `block size at most ${MAX_BLOCK_SIZE.toLocaleString('en-US')} bytes`,
    check: ({ block, encodedSize }) => {
      const size = encodedSize ?? encodeBlock(block).length;
      if (size > MAX_BLOCK_SIZE)
        broken('block-too-large', `block of ${size} bytes exceeds ${MAX_BLOCK_SIZE}`);
    },
  },
  {
    level: 'sanity',
    code: 'bad-coinbase',
    description: 'the first transaction, and only it, is a coinbase',
    check: ({ block }) => {
      if (block.txs.length === 0 || !isCoinbase(block.txs[0]!))
        broken('bad-coinbase', 'the first transaction must be a coinbase');
      for (let i = 1; i < block.txs.length; i++) {
        if (isCoinbase(block.txs[i]!)) broken('bad-coinbase', `transaction ${i} is a second coinbase`);
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Sanity: a transaction alone (every transaction of a block, and each one the mempool is offered)

export type { TxFacts } from './policy-rules.js';

export const TX_SANITY_RULES: readonly Rule<TxFacts>[] = [
  {
    level: 'sanity',
    code: 'bad-version',
    description: `transaction version is ${TX_VERSION} or ${TX_VERSION_2}`,
    check: ({ tx }) => {
      if (tx.version !== TX_VERSION && tx.version !== TX_VERSION_2)
        broken(
          'bad-version',
          `transaction version ${tx.version} is neither ${TX_VERSION} nor ${TX_VERSION_2}`,
        );
    },
  },
  {
    level: 'sanity',
    code: 'tx-too-large',
    description: `transaction size at most ${MAX_TX_SIZE.toLocaleString('en-US')} bytes`,
    check: ({ size }) => {
      if (size > MAX_TX_SIZE) broken('tx-too-large', `transaction of ${size} bytes exceeds ${MAX_TX_SIZE}`);
    },
  },
  {
    level: 'sanity',
    code: 'no-outputs',
    description: 'at least one output',
    check: ({ tx }) => {
      if (tx.outputs.length === 0) broken('no-outputs');
    },
  },
  {
    // A coinbase output may be 0: once the subsidy has halved to nothing, an empty block pays 0.
    level: 'sanity',
    code: 'bad-amount',
    description: 'each output amount is 1 (0 in a coinbase) to MAX_MONEY, and so is their sum',
    check: ({ tx }) => {
      const min = isCoinbase(tx) ? 0n : 1n;
      let total = 0n;
      for (const [i, out] of tx.outputs.entries()) {
        if (out.amount < min || out.amount > MAX_MONEY)
          broken('bad-amount', `output ${i} amount ${out.amount} is out of range`);
        total += out.amount;
      }
      if (total > MAX_MONEY) broken('bad-amount', 'outputs exceed the money supply');
    },
  },
  {
    level: 'sanity',
    code: 'bad-coinbase-data',
    description: `a coinbase's data record is ${COINBASE_DATA_MIN} to ${COINBASE_DATA_MAX} bytes`,
    check: ({ tx }) => {
      if (!isCoinbase(tx)) return;
      if (tx.data.length < COINBASE_DATA_MIN || tx.data.length > COINBASE_DATA_MAX) {
        broken('bad-coinbase-data', `coinbase data must be ${COINBASE_DATA_MIN}..${COINBASE_DATA_MAX} bytes`);
      }
    },
  },
  {
    level: 'sanity',
    code: 'bad-data-size',
    description: `any other data record is at most ${MAX_DATA_SIZE.toLocaleString('en-US')} bytes`,
    check: ({ tx }) => {
      if (!isCoinbase(tx) && tx.data.length > MAX_DATA_SIZE) {
        broken('bad-data-size', `data record of ${tx.data.length} bytes exceeds ${MAX_DATA_SIZE}`);
      }
    },
  },
  {
    level: 'sanity',
    code: 'double-spend',
    description: 'no outpoint spent twice by the transaction',
    check: ({ tx }) => {
      if (isCoinbase(tx)) return;
      const seen = new Set<string>();
      for (const input of tx.inputs) {
        const key = outpointKey(input.prevTxid, input.prevIndex);
        if (seen.has(key)) broken('double-spend', `the transaction spends ${key} twice`);
        seen.add(key);
      }
    },
  },
  ...TX_POLICY_SANITY_RULES,
];
