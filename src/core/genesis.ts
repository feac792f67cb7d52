// Each network's genesis block, built from its parameters. Its single output pays to the all-zero
// key hash, which no public key hashes to: the genesis coins can never be spent.
import { type Block, computeMerkleRoot } from './block.js';
import { blockSubsidy, type NetworkParams } from './params.js';
import { ADDRESS_HASH_SIZE, createCoinbase } from './tx.js';
import { BLOCK_VERSION } from './validation.js';

const genesisCache = new Map<string, Block>();

export function genesisBlock(params: NetworkParams): Block {
  const cached = genesisCache.get(params.name);
  if (cached) return cached;
  const coinbase = createCoinbase({
    height: 0,
    txs: [],
    outputs: [{ amount: blockSubsidy(params, 0), address: new Uint8Array(ADDRESS_HASH_SIZE) }],
    text: new TextEncoder().encode(params.genesis.message),
  });
  const block: Block = {
    header: {
      version: BLOCK_VERSION,
      prevHash: new Uint8Array(32),
      merkleRoot: computeMerkleRoot([coinbase]),
      time: params.genesis.time,
      bits: params.powLimitBits,
      nonce: params.genesis.nonce,
    },
    txs: [coinbase],
  };
  genesisCache.set(params.name, block);
  return block;
}
