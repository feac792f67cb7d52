import { toHex } from '../core/bytes.js';
import { bitsToTarget } from '../core/pow.js';
import { encodeAddress } from '../crypto/address.js';
import type { HashlineNode } from '../node/node.js';
import { VERSION } from '../version.js';
import { difficulty } from './views.js';

export function statusView(node: HashlineNode) {
  const { chain, mempool, miner, params, p2p } = node;
  const tip = chain.tip;
  const sync = p2p.syncStatus();
  return {
    network: params.name,
    version: VERSION,
    height: chain.height,
    tip: tip.hashHex,
    bits: tip.header.bits.toString(16).padStart(8, '0'),
    target: (bitsToTarget(chain.nextContext().expectedBits) ?? 0n).toString(16).padStart(64, '0'),
    difficulty: difficulty(params, chain.nextContext().expectedBits),
    chainWork: tip.chainWork.toString(),
    medianTime: chain.medianTimePast(),
    mining: miner.mining,
    threads: node.searcher.threads,
    hashRate: miner.hashRate(),
    kernel: node.searcher.kernelName,
    minerAddress: encodeAddress(params.addressPrefix, miner.address),
    walletAddress: node.wallet.address,
    mempool: { count: mempool.size, bytes: mempool.bytes, minFeeRate: mempool.minFeeRate },
    peers: p2p.peers().length,
    p2p: { peerId: p2p.peerId, addrs: p2p.addrs() },
    sync: { syncing: sync.syncing, peerHeight: sync.peerHeight, progress: sync.progress },
    genesis: toHex(chain.genesis.hash),
  };
}
