// A block or a header in bytes, judged as the node would judge it, without storing anything: sanity
// always; context when its parent is in the index; connect when the coins at its parent are at hand.
// Each level stops at its first failure, as the node does (src/core/validation-steps.ts).
import type { ChainEntry } from '../../chain/entry.js';
import type { Block } from '../../core/block.js';
import { toHex } from '../../core/bytes.js';
import { RuleError } from '../../core/errors.js';
import type { BlockHeader } from '../../core/header.js';
import { COINBASE_DATA_MIN } from '../../core/params.js';
import { decodeCoinbaseData, isCoinbase, txid } from '../../core/tx.js';
import {
  connectSteps,
  contextSteps,
  headerContextSteps,
  headerSanitySteps,
  type RuleStep,
  sanitySteps,
} from '../../core/validation-steps.js';
import { verifyNode } from '../../crypto/ed25519-node.js';
import type { DecodeJson } from '../schemas/index.js';
import { addressMemo, txView } from '../views.js';
import type { DecodeContext } from './context.js';
import { refusal, refusalOfSteps, stepJson } from './explain.js';
import { headerFields } from './header-fields.js';

type Known = DecodeJson['known'];
type Skipped = DecodeJson['skipped'];

function knownAs(ctx: DecodeContext, entry: ChainEntry | undefined): Known {
  if (!entry) return null;
  if (entry.status === 'invalid') return 'invalid';
  return ctx.isActive(entry) ? 'active' : 'side';
}

/** The parent's verdict before any context: unknown (orphan) or known invalid. */
function parentOf(ctx: DecodeContext, header: BlockHeader) {
  const prevHex = toHex(header.prevHash);
  const parent = ctx.entry(prevHex);
  if (!parent) return { parent, skip: `its parent ${prevHex} is not in this node's index` };
  if (parent.status === 'invalid') {
    const error = new RuleError('bad-prev-block', `parent ${prevHex} is invalid`);
    return { parent, invalid: refusal(error, 'chain', 'the parent is not known to be invalid') };
  }
  return { parent };
}

const EARLIER = 'an earlier level failed: the node stops at the first rule broken';
const NO_COINS = 'the coins at its parent are known only for a block on the tip or on the active chain';

interface Verdict {
  readonly steps: RuleStep[];
  readonly skipped: Skipped;
  readonly refused: DecodeJson['refusal'];
  readonly parent?: ChainEntry;
}

/** The header rules of sanity, then of context on a known parent. */
function headerVerdict(ctx: DecodeContext, header: BlockHeader): Verdict {
  const steps = headerSanitySteps(header, ctx.params, ctx.now());
  const refused = refusalOfSteps(steps);
  if (refused) return { steps, skipped: [{ level: 'context', reason: EARLIER }], refused };
  const { parent, skip, invalid } = parentOf(ctx, header);
  if (invalid) return { steps, skipped: [], refused: invalid, parent };
  if (!parent) return { steps, skipped: [{ level: 'context', reason: skip! }], refused };
  const context = headerContextSteps(header, ctx.contextFor(parent));
  steps.push(...context);
  return { steps, skipped: [], refused: refusalOfSteps(context), parent };
}

export async function judgeHeader(
  ctx: DecodeContext,
  header: BlockHeader,
  size: number,
): Promise<DecodeJson> {
  const fields = headerFields(ctx.params, header);
  const { steps, skipped, refused, parent } = headerVerdict(ctx, header);
  return {
    kind: 'header',
    size,
    hash: fields.hash,
    header: fields,
    height: parent ? parent.height + 1 : null,
    txs: [],
    known: knownAs(ctx, ctx.entry(fields.hash)),
    valid: refused === null,
    checks: steps.map(stepJson),
    skipped,
    refusal: refused,
  };
}

function coinbaseHeight(block: Block): number | null {
  const cb = block.txs[0];
  return cb && isCoinbase(cb) && cb.data.length >= COINBASE_DATA_MIN
    ? decodeCoinbaseData(cb.data).height
    : null;
}

/** Sanity, then context on a known parent, then connect on the parent's coins: each only if the last passed. */
async function blockVerdict(
  ctx: DecodeContext,
  block: Block,
  size: number,
  entry: ChainEntry | undefined,
): Promise<Verdict> {
  const steps = sanitySteps(block, ctx.params, ctx.now(), size);
  const skipped: Skipped = [];
  const stop = (levels: readonly string[], reason: string) => {
    for (const level of levels) skipped.push({ level, reason });
  };
  let refused = refusalOfSteps(steps);
  if (refused) {
    stop(['context', 'connect'], EARLIER);
    return { steps, skipped, refused };
  }
  const { parent, skip, invalid } = parentOf(ctx, block.header);
  if (invalid) return { steps, skipped, refused: invalid, parent };
  if (!parent) {
    stop(['context', 'connect'], skip!);
    return { steps, skipped, refused };
  }
  const context = contextSteps(block, ctx.contextFor(parent));
  steps.push(...context);
  refused = refusalOfSteps(context);
  if (refused) {
    stop(['connect'], EARLIER);
    return { steps, skipped, refused, parent };
  }
  const coins = await ctx.parentCoins(block, entry);
  if (!coins) {
    stop(['connect'], NO_COINS);
    return { steps, skipped, refused, parent };
  }
  const view = { get: (key: string) => coins.get(key) };
  const connect = connectSteps(block, parent.height + 1, view, ctx.params, verifyNode);
  steps.push(...connect);
  return { steps, skipped, refused: refusalOfSteps(connect), parent };
}

export async function judgeBlock(ctx: DecodeContext, block: Block, size: number): Promise<DecodeJson> {
  const fields = headerFields(ctx.params, block.header);
  const entry = ctx.entry(fields.hash);
  const { steps, skipped, refused, parent } = await blockVerdict(ctx, block, size, entry);
  const spent = await ctx.blockSpent(block);
  const address = addressMemo(ctx.params);
  // Only the node's own copy is "in" its block: a corrupted copy under the same header is not.
  const inChain = entry && refused === null && ctx.isActive(entry) ? entry : undefined;
  const confirmations = inChain ? ctx.tip.height - inChain.height + 1 : 0;
  const txs = block.txs.map((tx, index) =>
    txView(ctx.params, tx, {
      confirmations,
      spent: spent[index],
      txid: txid(tx),
      address,
      ...(inChain ? { block: { hash: fields.hash, height: inChain.height, index } } : {}),
    }),
  );
  return {
    kind: 'block',
    size,
    hash: fields.hash,
    header: fields,
    height: parent ? parent.height + 1 : coinbaseHeight(block),
    txs,
    known: knownAs(ctx, entry),
    valid: refused === null,
    checks: steps.map(stepJson),
    skipped,
    refusal: refused,
  };
}
