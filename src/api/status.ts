// GET /api/v1/status, also sent every few seconds on the event stream.
import { toHex } from '../core/bytes.js';
import { bitsToTarget } from '../core/pow.js';
import { encodeAddress } from '../crypto/address.js';
import { VERSION } from '../version.js';
import type { ApiContext } from './context.js';
import { difficulty } from './views.js';

export const minerAddress = (ctx: Pick<ApiContext, 'params' | 'miner'>): string =>
  encodeAddress(ctx.params.addressPrefix, ctx.miner.address);

export function statusView(ctx: ApiContext) {
  const { chain, mempool, miner, params, network } = ctx;
  const tip = chain.tip;
  const sync = network.syncStatus();
  const expectedBits = chain.nextContext().expectedBits;
  return {
    network: params.name,
    version: VERSION,
    height: chain.height,
    tip: tip.hashHex,
    bits: tip.header.bits.toString(16).padStart(8, '0'),
    target: (bitsToTarget(expectedBits) ?? 0n).toString(16).padStart(64, '0'),
    difficulty: difficulty(params, expectedBits),
    chainWork: tip.chainWork.toString(),
    medianTime: chain.medianTimePast(),
    mining: miner.mining,
    threads: ctx.mining.threads,
    hashRate: miner.hashRate(),
    kernel: ctx.mining.kernelName,
    minerAddress: minerAddress(ctx),
    walletAddress: ctx.nodeWallet.address,
    mempool: { count: mempool.size, bytes: mempool.bytes, minFeeRate: mempool.minFeeRate },
    peers: network.peers().length,
    p2p: { peerId: network.peerId, addrs: network.addrs() },
    sync: { syncing: sync.syncing, peerHeight: sync.peerHeight, progress: sync.progress },
    genesis: toHex(chain.genesis.hash),
  };
}
