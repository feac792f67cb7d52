// Each network's genesis block, built from its parameters. Its single output pays to the all-zero
// key hash, which no public key hashes to: the genesis coins can never be spent.
import { type Block, computeMerkleRoot } from './block.js';
import { sha256d } from './hash.js';
import { encodeHeader } from './header.js';
import { blockSubsidy, type NetworkParams } from './params.js';
import { hashMeetsTarget } from './pow.js';
import { ADDRESS_HASH_SIZE, createCoinbase } from './tx.js';
import { BLOCK_VERSION } from './validation.js';

// Keyed by the parameter object: a network derived with an id is another object, with its own genesis.
const genesisCache = new WeakMap<NetworkParams, Block>();

/** The genesis block with the nonce of `params` (see firstGenesisNonce for how that nonce is chosen). */
export function genesisBlock(params: NetworkParams): Block {
  const cached = genesisCache.get(params);
  if (cached) return cached;
  const block = genesisWithNonce(params, params.genesis.nonce);
  genesisCache.set(params, block);
  return block;
}

function genesisWithNonce(params: NetworkParams, nonce: number): Block {
  const coinbase = createCoinbase({
    height: 0,
    txs: [],
    outputs: [{ amount: blockSubsidy(params, 0), address: new Uint8Array(ADDRESS_HASH_SIZE) }],
    text: new TextEncoder().encode(params.genesis.message),
  });
  return {
    header: {
      version: BLOCK_VERSION,
      prevHash: new Uint8Array(32),
      merkleRoot: computeMerkleRoot([coinbase]),
      time: params.genesis.time,
      bits: params.powLimitBits,
      nonce,
    },
    txs: [coinbase],
  };
}

/**
 * The first nonce, counting from 0, whose genesis header hash meets the network's powLimit: how every
 * genesis nonce is chosen (docs/protocol.md, "Networks"). About 65,536 hashes on main and dev.
 */
export function firstGenesisNonce(params: NetworkParams): number {
  const header = encodeHeader(genesisWithNonce(params, 0).header);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  for (let nonce = 0; nonce <= 0xffff_ffff; nonce++) {
    view.setUint32(76, nonce, true);
    if (hashMeetsTarget(sha256d(header), params.powLimit)) return nonce;
  }
  throw new Error(`no genesis nonce meets the target of ${params.name}`);
}
