// POST /api/v1/decode: hex → the kind of thing it is (given, or detected), its fields and its verdict.
import { decodeBlock } from '../../core/block.js';
import { fromHex, isHex } from '../../core/bytes.js';
import { RuleError } from '../../core/errors.js';
import { decodeHeader, HEADER_SIZE } from '../../core/header.js';
import { MAX_BLOCK_SIZE } from '../../core/params.js';
import { decodeTx } from '../../core/tx.js';
import { ApiError, badRequest } from '../errors.js';
import type { DecodeJson, DecodeKind } from '../schemas/index.js';
import { judgeBlock, judgeHeader } from './block.js';
import type { DecodeContext } from './context.js';
import { refusal } from './explain.js';
import { judgeTx } from './tx.js';

export type { DecodeContext, TxKnowledge } from './context.js';

/** Nothing larger than the largest block is decoded: 1,000,000 bytes, 2,000,000 hex characters. */
export const DECODE_MAX_BYTES = MAX_BLOCK_SIZE;

/** The bytes of `hex`, or a 400 naming the rule (bad-encoding, block-too-large). */
export function bytesOfHex(hex: string): Uint8Array {
  const text = hex.trim();
  if (text.length > 2 * DECODE_MAX_BYTES)
    throw badRequest(
      `at most ${DECODE_MAX_BYTES.toLocaleString('en-US')} bytes (a block's maximum) are decoded; this is ${Math.ceil(text.length / 2).toLocaleString('en-US')}`,
      'block-too-large',
    );
  if (text.length === 0 || !isHex(text))
    throw badRequest('hex must be an even number of hex digits (0-9, a-f), and not empty', 'bad-encoding');
  return fromHex(text);
}

/** The kind the bytes decode as: 80 bytes are a header, else a block, else a transaction. */
function detect(bytes: Uint8Array): DecodeKind {
  if (bytes.length === HEADER_SIZE) return 'header';
  const asBlock = attemptDecode(() => decodeBlock(bytes));
  if (asBlock === undefined) return 'block';
  const asTx = attemptDecode(() => decodeTx(bytes));
  if (asTx === undefined) return 'tx';
  throw new ApiError(
    400,
    'bad-encoding',
    `the bytes are neither a header (80 bytes), a block (${asBlock}) nor a transaction (${asTx}); give "kind" to see one decoder's verdict`,
  );
}

/** The decoder's complaint, or undefined when the bytes decode. */
function attemptDecode(decode: () => unknown): string | undefined {
  try {
    decode();
    return undefined;
  } catch (e) {
    if (e instanceof RuleError) return e.message;
    throw e;
  }
}

export async function decodeHex(ctx: DecodeContext, hex: string, given?: DecodeKind): Promise<DecodeJson> {
  const bytes = bytesOfHex(hex);
  const kind = given ?? detect(bytes);
  try {
    if (kind === 'header') return await judgeHeader(ctx, decodeHeader(bytes), bytes.length);
    if (kind === 'block') return await judgeBlock(ctx, decodeBlock(bytes), bytes.length);
    return await judgeTx(ctx, decodeTx(bytes), bytes);
  } catch (e) {
    if (e instanceof RuleError && e.code === 'bad-encoding') return undecodable(kind, bytes.length, e);
    throw e;
  }
}

/** Bytes that do not decode as the kind asked for: no fields, the decoder's verdict. */
function undecodable(kind: DecodeKind, size: number, error: RuleError): DecodeJson {
  const explained = refusal(
    error,
    'decoding',
    `the bytes decode as exactly one ${kind === 'tx' ? 'transaction' : kind}`,
  );
  return {
    kind,
    size,
    hash: null,
    header: null,
    height: null,
    txs: [],
    known: null,
    valid: false,
    checks: [
      {
        level: 'decoding',
        rule: explained.check,
        code: error.code,
        status: 'fail',
        error: { code: error.code, message: error.message },
      },
    ],
    skipped: [{ level: 'sanity', reason: 'the bytes do not decode' }],
    refusal: explained,
  };
}
