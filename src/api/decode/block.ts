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

const failed = (steps: readonly RuleStep[]) => steps.some((s) => s.status === 'fail');

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

export async function judgeHeader(
  ctx: DecodeContext,
  header: BlockHeader,
  size: number,
): Promise<DecodeJson> {
  const fields = headerFields(ctx.params, header);
  const steps = headerSanitySteps(header, ctx.params, ctx.now());
  const skipped: Skipped = [];
  const { parent, skip, invalid } = parentOf(ctx, header);
  let refused = refusalOfSteps(steps);
  if (!refused && invalid) refused = invalid;
  else if (!refused && parent) steps.push(...headerContextSteps(header, ctx.contextFor(parent)));
  else if (skip) skipped.push({ level: 'context', reason: skip });
  refused ??= refusalOfSteps(steps);
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

export async function judgeBlock(ctx: DecodeContext, block: Block, size: number): Promise<DecodeJson> {
  const fields = headerFields(ctx.params, block.header);
  const entry = ctx.entry(fields.hash);
  const steps: RuleStep[] = sanitySteps(block, ctx.params, ctx.now(), size);
  const skipped: Skipped = [];
  const { parent, skip, invalid } = parentOf(ctx, block.header);
  const height = parent ? parent.height + 1 : coinbaseHeight(block);
  let refused = refusalOfSteps(steps);
  if (refused)
    skipped.push({ level: 'context', reason: 'sanity failed: the node stops at the first rule broken' });
  else if (invalid) refused = invalid;
  else if (!parent) skipped.push({ level: 'context', reason: skip! });
  else {
    steps.push(...contextSteps(block, ctx.contextFor(parent)));
    refused = refusalOfSteps(steps);
  }
  if (!refused && parent) {
    const coins = await ctx.parentCoins(block, entry);
    if (!coins)
      skipped.push({
        level: 'connect',
        reason: 'the coins at its parent are known only for a block on the tip or on the active chain',
      });
    else {
      const connect = connectSteps(
        block,
        parent.height + 1,
        { get: (k) => coins.get(k) },
        ctx.params,
        verifyNode,
      );
      steps.push(...connect);
      if (failed(connect)) refused = refusalOfSteps(connect);
    }
  } else if (refused && parent && !invalid)
    skipped.push({ level: 'connect', reason: 'an earlier level failed' });
  const spent = await ctx.blockSpent(block);
  const address = addressMemo(ctx.params);
  const active = entry && ctx.isActive(entry);
  const confirmations = active ? ctx.tip.height - entry.height + 1 : 0;
  const txs = block.txs.map((tx, index) =>
    txView(ctx.params, tx, {
      confirmations,
      spent: spent[index],
      txid: txid(tx),
      address,
      ...(active ? { block: { hash: fields.hash, height: entry.height, index } } : {}),
    }),
  );
  return {
    kind: 'block',
    size,
    hash: fields.hash,
    header: fields,
    height,
    txs,
    known: knownAs(ctx, entry),
    valid: refused === null,
    checks: steps.map(stepJson),
    skipped,
    refusal: refused,
  };
}
