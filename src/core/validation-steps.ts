// The consensus rules one at a time, for showing a block's validation step by step. Each list runs the
// same checks as checkBlockSanity / checkBlockContext / connectBlock + verifySigChecks, in the order
// docs/protocol.md gives, and stops at the first failure (later rules are not reached, as in the node).
// Tests prove the first failure is the one the real functions report, over the full-block table.
import { type Block, encodeBlock } from './block.js';
import { equalBytes, toHex } from './bytes.js';
import { attempt, type RuleCode, RuleError } from './errors.js';
import { type BlockHeader, headerHash } from './header.js';
import { merkleRoot } from './merkle.js';
import {
  blockSubsidy,
  COINBASE_DATA_MIN,
  MAX_BLOCK_SIZE,
  MAX_FUTURE_SECONDS,
  MAX_TIMEWARP_SECONDS,
  type NetworkParams,
} from './params.js';
import { bitsToTarget, hashMeetsTarget } from './pow.js';
import { decodeCoinbaseData, isCoinbase, outpointKey, signatureRoot, type Tx, txid } from './tx.js';
import {
  BLOCK_VERSION,
  type BlockContext,
  type Coin,
  type CoinView,
  checkTxInputs,
  checkTxSanity,
  type SigCheck,
  verifySigChecks,
} from './validation.js';

export type RuleLevel = 'sanity' | 'context' | 'connect';

/** One rule's outcome: passed, failed with its code, or not reached because an earlier rule failed. */
export interface RuleStep {
  readonly level: RuleLevel;
  /** What the rule checks, in words. */
  readonly rule: string;
  /** The code the rule fails with. */
  readonly code: RuleCode | 'tx-sanity' | 'tx-inputs';
  readonly status: 'pass' | 'fail' | 'not-reached';
  /** The code and message of a failure. */
  readonly error?: { readonly code: RuleCode; readonly message: string };
}

interface Check {
  readonly rule: string;
  readonly code: RuleStep['code'];
  /** Throws RuleError, or returns one, when the rule is broken. */
  readonly run: () => RuleError | undefined;
}

const broken = (code: RuleCode, message?: string): never => {
  throw new RuleError(code, message);
};

function runChecks(level: RuleLevel, checks: readonly Check[]): RuleStep[] {
  let failed = false;
  return checks.map((c) => {
    if (failed) return { level, rule: c.rule, code: c.code, status: 'not-reached' };
    const r = attempt(c.run);
    const error = r.ok ? r.value : r.error;
    if (!error) return { level, rule: c.rule, code: c.code, status: 'pass' };
    failed = true;
    return {
      level,
      rule: c.rule,
      code: c.code,
      status: 'fail',
      error: { code: error.code, message: error.message },
    };
  });
}

/** The first failure of a list of steps, if any. */
export const firstFailure = (steps: readonly RuleStep[]): RuleStep | undefined =>
  steps.find((s) => s.status === 'fail');

/** The header rules of checkBlockSanity (checkHeaderSanity), one check each. */
function headerChecks(header: BlockHeader, params: NetworkParams, now: number): Check[] {
  const target = bitsToTarget(header.bits);
  return [
    {
      rule: 'header version is 1',
      code: 'bad-version',
      run: () =>
        header.version === BLOCK_VERSION
          ? undefined
          : broken('bad-version', `block version ${header.version}`),
    },
    {
      rule: "bits encode a target within the network's limit",
      code: 'bad-bits',
      run: () =>
        target === null || target === 0n || target > params.powLimit
          ? broken('bad-bits', `bits 0x${header.bits.toString(16)} do not encode an allowed target`)
          : undefined,
    },
    {
      rule: 'header hash is at most the target',
      code: 'bad-pow',
      run: () => {
        const hash = headerHash(header);
        return hashMeetsTarget(hash, target!)
          ? undefined
          : broken('bad-pow', `hash ${toHex(hash)} is above the target`);
      },
    },
    {
      rule: `time at most ${MAX_FUTURE_SECONDS} s ahead of the clock`,
      code: 'time-too-new',
      run: () =>
        header.time > now + MAX_FUTURE_SECONDS
          ? broken('time-too-new', `block time ${header.time} is too far ahead of ${now}`)
          : undefined,
    },
  ];
}

/** The rules a header alone can break (checkHeaderSanity), one step each. */
export const headerSanitySteps = (header: BlockHeader, params: NetworkParams, now: number): RuleStep[] =>
  runChecks('sanity', headerChecks(header, params, now));

/** The sanity rules of checkBlockSanity, one step each, then each transaction's sanity (checkTxSanity). */
export function sanitySteps(
  block: Block,
  params: NetworkParams,
  now: number,
  encodedSize?: number,
): RuleStep[] {
  const { header } = block;
  const txids = (): Uint8Array[] => block.txs.map(txid);
  const checks: Check[] = [
    ...headerChecks(header, params, now),
    {
      rule: "Merkle root of the txids equals the header's",
      code: 'bad-merkle-root',
      run: () => (equalBytes(merkleRoot(txids()), header.merkleRoot) ? undefined : broken('bad-merkle-root')),
    },
    {
      rule: 'no txid appears twice',
      code: 'duplicate-tx',
      run: () => {
        const seen = new Set<string>();
        for (const hex of txids().map(toHex)) {
          if (seen.has(hex)) broken('duplicate-tx', `transaction ${hex} appears twice`);
          seen.add(hex);
        }
        return undefined;
      },
    },
    {
      rule: "signatures match the coinbase's signature root",
      code: 'bad-sig-commitment',
      run: () => {
        // No coinbase or too short a record to hold a root: later rules say which (the txids cover it).
        const coinbase = block.txs[0];
        if (!coinbase || !isCoinbase(coinbase) || coinbase.data.length < COINBASE_DATA_MIN) return undefined;
        const committed = decodeCoinbaseData(coinbase.data).sigRoot;
        return equalBytes(signatureRoot(block.txs.slice(1)), committed)
          ? undefined
          : broken(
              'bad-sig-commitment',
              `the signatures do not match the signature root ${toHex(committed)}`,
            );
      },
    },
    {
      rule: `block size at most ${MAX_BLOCK_SIZE.toLocaleString('en-US')} bytes`,
      code: 'block-too-large',
      run: () => {
        const size = encodedSize ?? encodeBlock(block).length;
        return size > MAX_BLOCK_SIZE ? broken('block-too-large', `block of ${size} bytes`) : undefined;
      },
    },
    {
      rule: 'the first transaction, and only it, is a coinbase',
      code: 'bad-coinbase',
      run: () => {
        if (block.txs.length === 0 || !isCoinbase(block.txs[0]!))
          broken('bad-coinbase', 'the first transaction must be a coinbase');
        const second = block.txs.findIndex((tx, i) => i > 0 && isCoinbase(tx));
        return second > 0 ? broken('bad-coinbase', `transaction ${second} is a second coinbase`) : undefined;
      },
    },
    ...block.txs.map(
      (tx, i): Check => ({
        rule: `transaction ${i} on its own`,
        code: 'tx-sanity',
        run: () => checkTxSanity(tx),
      }),
    ),
  ];
  return runChecks('sanity', checks);
}

/** The contextual rules a header alone can break (checkHeaderContext), one check each. */
function headerContextChecks(header: BlockHeader, ctx: BlockContext): Check[] {
  return [
    {
      rule: 'bits are the ones the chain requires',
      code: 'bad-bits',
      run: () =>
        header.bits === ctx.expectedBits
          ? undefined
          : broken(
              'bad-bits',
              `bits 0x${header.bits.toString(16)}, required 0x${ctx.expectedBits.toString(16)}`,
            ),
    },
    {
      rule: 'time above the median of the last 11 blocks',
      code: 'time-too-old',
      run: () =>
        header.time > ctx.medianTimePast
          ? undefined
          : broken('time-too-old', `block time ${header.time} ≤ median time past ${ctx.medianTimePast}`),
    },
    {
      rule: `at a retarget height, time at most ${MAX_TIMEWARP_SECONDS} s before the parent's`,
      code: 'time-timewarp-attack',
      run: () =>
        ctx.retargetParentTime === undefined || header.time >= ctx.retargetParentTime - MAX_TIMEWARP_SECONDS
          ? undefined
          : broken(
              'time-timewarp-attack',
              `block time ${header.time} < parent's ${ctx.retargetParentTime} − ${MAX_TIMEWARP_SECONDS}`,
            ),
    },
  ];
}

/** The rules of checkHeaderContext, one step each. */
export const headerContextSteps = (header: BlockHeader, ctx: BlockContext): RuleStep[] =>
  runChecks('context', headerContextChecks(header, ctx));

/** The rules of checkBlockContext, one step each. */
export function contextSteps(block: Block, ctx: BlockContext): RuleStep[] {
  return runChecks('context', [
    ...headerContextChecks(block.header, ctx),
    {
      rule: 'the coinbase carries the block height',
      code: 'bad-coinbase-height',
      run: () =>
        decodeCoinbaseData(block.txs[0]!.data).height === ctx.height
          ? undefined
          : broken('bad-coinbase-height', `the coinbase does not carry height ${ctx.height}`),
    },
  ]);
}

export type Verifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/**
 * The rules of connectBlock, then the signatures (verifySigChecks): each transaction's inputs in
 * block order (against the coins plus earlier outputs of the block), the coinbase amount, then each
 * transaction's signatures. `view` is the UTXO set of the parent.
 */
export function connectSteps(
  block: Block,
  height: number,
  view: CoinView,
  params: NetworkParams,
  verify: Verifier,
): RuleStep[] {
  const created = new Map<string, Coin>();
  const spentInBlock = new Set<string>();
  const layered: CoinView = {
    get: (key) => (spentInBlock.has(key) ? undefined : (created.get(key) ?? view.get(key))),
  };
  const sigChecks: SigCheck[][] = [];
  let fees = 0n;
  const txids = block.txs.map(txid);
  const addOutputs = (tx: Tx, i: number, coinbase: boolean) =>
    tx.outputs.forEach((out, index) => {
      created.set(outpointKey(txids[i]!, index), {
        amount: out.amount,
        address: out.address,
        height,
        coinbase,
      });
    });
  const inputChecks = block.txs.slice(1).map(
    (tx, j): Check => ({
      rule: `transaction ${j + 1}: its inputs exist, are mature, belong to its keys and cover its outputs`,
      code: 'tx-inputs',
      run: () => {
        const i = j + 1;
        for (const input of tx.inputs) {
          const key = outpointKey(input.prevTxid, input.prevIndex);
          if (spentInBlock.has(key)) broken('double-spend', `output ${key} is spent twice in the block`);
        }
        const r = checkTxInputs(tx, layered, height, params, i, txids[i]!);
        if (!r.ok) return r.error;
        for (const input of tx.inputs) {
          const key = outpointKey(input.prevTxid, input.prevIndex);
          created.delete(key);
          spentInBlock.add(key);
        }
        fees += r.value.fee;
        sigChecks.push([...r.value.sigChecks]);
        addOutputs(tx, i, false);
        return undefined;
      },
    }),
  );
  const coinbaseCheck: Check = {
    rule: 'the coinbase pays at most subsidy plus fees',
    code: 'bad-coinbase-amount',
    run: () => {
      const allowed = blockSubsidy(params, height) + fees;
      const paid = block.txs[0]!.outputs.reduce((sum, out) => sum + out.amount, 0n);
      return paid > allowed
        ? broken('bad-coinbase-amount', `coinbase pays ${paid} but subsidy plus fees is ${allowed}`)
        : undefined;
    },
  };
  const signatureChecks = block.txs.slice(1).map(
    (_, j): Check => ({
      rule: `transaction ${j + 1}: every signature verifies`,
      code: 'bad-signature',
      run: () => verifySigChecks(sigChecks[j] ?? [], verify),
    }),
  );
  return runChecks('connect', [...inputChecks, coinbaseCheck, ...signatureChecks]);
}
