// Server-Sent Events at /api/v1/events (definitions/node.ts): block, tx, reorg, and a periodic status.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReorgEvent } from '../../chain/chain.js';
import type { ChainEntry } from '../../chain/entry.js';
import type { Block } from '../../core/block.js';
import type { MempoolEntry } from '../../mempool/mempool.js';
import type { ApiContext } from '../context.js';
import { statusView } from '../status.js';

/** Takes the reply over and streams events until the client goes away. */
export function streamEvents(node: ApiContext, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    // Hijacked replies skip the CORS hook: a public stream, readable from any page.
    'access-control-allow-origin': '*',
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
  return reply;
}
