// The miner endpoints (definitions/miner.ts) over MinerControl.
import type { FastifyRequest } from 'fastify';
import { decodeAddress } from '../../crypto/address.js';
import type { ApiContext } from '../context.js';
import { miner as defs } from '../definitions/miner.js';
import { ApiError } from '../errors.js';
import type { RouteDef } from '../route-table.js';
import { minerAddress } from '../status.js';
import { blockSummary, blockView } from '../views.js';
import { bind } from './bind.js';

/** Lets `curl -X POST …/mine` (no body at all) mean `{}`: the body schema alone would reject it. */
const emptyBodyIsEmptyObject = async (req: FastifyRequest) => {
  req.body ??= {};
};

export function minerRoutes(ctx: Pick<ApiContext, 'params' | 'chain' | 'miner' | 'mining'>): RouteDef[] {
  const { chain, miner, params } = ctx;
  const minerView = () => ({
    mining: miner.mining,
    threads: ctx.mining.threads,
    hashRate: miner.hashRate(),
    kernel: ctx.mining.kernelName,
    address: minerAddress(ctx),
    found: miner.found
      .slice(-20)
      .reverse()
      .map((m) => {
        const entry = chain.getEntry(m.result.hash);
        return entry ? blockSummary(params, entry, m.block) : null;
      })
      .filter((b) => b !== null),
  });
  return [
    bind(
      defs.mine,
      async (req, reply) => {
        const address = req.body?.address ? decodeAddress(params.addressPrefix, req.body.address) : undefined;
        const mined = await miner.mineMany(req.body?.count ?? 1, { address });
        const last = mined.at(-1);
        if (!last) throw new ApiError(503, 'internal', 'mining was interrupted');
        const entry = chain.getEntry(last.result.hash)!;
        const hashes = mined.map((m) => m.result.hash);
        return reply.status(201).send({ ...(await blockView(chain, entry, last.block)), hashes });
      },
      { preValidation: emptyBodyIsEmptyObject },
    ),
    bind(defs.getMiner, async () => minerView()),
    bind(
      defs.startMiner,
      async (req) => {
        if (req.body?.address) miner.address = decodeAddress(params.addressPrefix, req.body.address);
        // The schema bounds threads to 1..256; a running search restarts with the new count.
        if (req.body?.threads !== undefined) miner.setThreads(req.body.threads);
        miner.start();
        return minerView();
      },
      { preValidation: emptyBodyIsEmptyObject },
    ),
    bind(defs.stopMiner, async () => {
      await miner.stop();
      return minerView();
    }),
  ];
}
