// A header's fields as the API shows them (the block view's names: src/api/views.ts).
import { toHex } from '../../core/bytes.js';
import { type BlockHeader, headerHashHex } from '../../core/header.js';
import type { NetworkParams } from '../../core/params.js';
import { bitsToTarget } from '../../core/pow.js';
import type { HeaderFieldsJson } from '../schemas/index.js';
import { difficulty } from '../views.js';

export function headerFields(params: NetworkParams, header: BlockHeader): HeaderFieldsJson {
  const target = bitsToTarget(header.bits);
  return {
    hash: headerHashHex(header),
    version: header.version,
    previousHash: toHex(header.prevHash),
    merkleRoot: toHex(header.merkleRoot),
    time: header.time,
    bits: header.bits.toString(16).padStart(8, '0'),
    target: (target ?? 0n).toString(16).padStart(64, '0'),
    difficulty: target ? difficulty(params, header.bits) : 0,
    nonce: header.nonce,
  };
}
