// Server-Sent Events at /api/v1/events: block, tx, reorg, and a periodic status.

import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { ReorgEvent } from '../chain/chain.js';
import type { ChainEntry } from '../chain/entry.js';
import type { Block } from '../core/block.js';
import type { MempoolEntry } from '../mempool/mempool.js';
import type { HashlineNode } from '../node/node.js';
import { statusView } from './status.js';

export function registerEvents(app: FastifyInstance, node: HashlineNode): void {
  app.get(
    '/api/v1/events',
    { schema: { tags: ['node'], summary: 'Live events (Server-Sent Events)' } },
    (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const onConnect = (entry: ChainEntry, block: Block) =>
        send('block', {
          hash: entry.hashHex,
          height: entry.height,
          txCount: block.txs.length,
          time: entry.header.time,
        });
      const onTx = (e: MempoolEntry) => send('tx', { txid: e.txidHex, fee: e.fee.toString(), size: e.size });
      const onReorg = (e: ReorgEvent) =>
        send('reorg', {
          oldTip: e.oldTip.hashHex,
          newTip: e.newTip.hashHex,
          forkHeight: e.fork.height,
          disconnected: e.disconnected.length,
          connected: e.connected.length,
        });
      node.chain.on('connect', onConnect);
      node.chain.on('reorg', onReorg);
      node.mempool.on('added', onTx);
      send('status', statusView(node));
      const timer = setInterval(() => send('status', statusView(node)), 5_000);
      const close = () => {
        clearInterval(timer);
        node.chain.off('connect', onConnect);
        node.chain.off('reorg', onReorg);
        node.mempool.off('added', onTx);
      };
      req.raw.on('close', close);
      res.on('error', close);
    },
  );
}
