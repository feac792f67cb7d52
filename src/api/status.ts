// GET /api/v1/status, also sent every few seconds on the event stream.
import { toHex } from '../core/bytes.js';
import { bitsToTarget } from '../core/pow.js';
import { encodeAddress } from '../crypto/address.js';
import { VERSION } from '../version.js';
import type { ApiContext } from './context.js';
import { difficulty } from './views.js';

export const minerAddress = (ctx: Pick<ApiContext, 'params' | 'miner'>): string =>
  encodeAddress(ctx.params.addressPrefix, ctx.miner.address);

/**
 * How the node stands with its peers: `no peers` when it was given peers (--peer, registered URLs)
 * and is connected to none, `alone` when it was given none and has none.
 */
export function syncState(syncing: boolean, peers: number, givenPeers: number) {
  if (syncing) return 'syncing' as const;
  if (peers > 0) return 'in sync' as const;
  return givenPeers > 0 ? ('no peers' as const) : ('alone' as const);
}

/**
 * What the status says of the node's operator rather than the chain: the node wallet's and the miner's
 * addresses (they tie this machine to its coins), the miner's state and the setup warnings. A caller
 * that may not read operator routes (another site's page; beyond loopback without the token) gets null
 * (an empty list for the warnings) in their place.
 */
export function statusView(ctx: ApiContext, operator = true) {
  const view = fullStatus(ctx);
  if (operator) return view;
  return {
    ...view,
    mining: null,
    threads: null,
    hashRate: null,
    kernel: null,
    minerAddress: null,
    walletAddress: null,
    warnings: [],
  };
}

function fullStatus(ctx: ApiContext) {
  const { chain, mempool, miner, params, network } = ctx;
  const tip = chain.tip;
  const sync = network.syncStatus();
  const peers = network.peers().length;
  const expectedBits = chain.nextContext().expectedBits;
  return {
    network: params.name,
    ...(params.id === undefined ? {} : { networkId: params.id }),
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
    peers,
    p2p: { peerId: network.peerId, addrs: network.addrs() },
    sync: {
      syncing: sync.syncing,
      peerHeight: sync.peerHeight,
      progress: sync.progress,
      state: syncState(sync.syncing, peers, network.givenPeers()),
    },
    genesis: toHex(chain.genesis.hash),
    warnings: [...(ctx.warnings?.() ?? [])],
  };
}
