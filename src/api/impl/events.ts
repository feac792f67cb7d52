// Server-Sent Events at /api/v1/events (definitions/node.ts): block, tx, reorg, and a periodic status.
// How many streams there may be and what a stream may queue is sse-clients.ts's business.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReorgEvent } from '../../chain/chain.js';
import type { ChainEntry } from '../../chain/entry.js';
import type { Block } from '../../core/block.js';
import type { MempoolEntry } from '../../mempool/mempool.js';
import type { ApiContext } from '../context.js';
import { callerAddress } from '../http-limits.js';
import type { SseClients } from '../sse-clients.js';
import { statusView } from '../status.js';

/** Takes the reply over and streams events until the client goes away. */
export function streamEvents(
  node: ApiContext,
  clients: SseClients,
  statusIntervalMs: number,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  // Refused past the caps with a JSON error, before the stream starts.
  const stream = clients.admit(callerAddress(req.ip), reply.raw);
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
    if (!stream.send(event, data)) close();
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
  // The caller's access is judged once, when it subscribes.
  const operator = req.operator;
  const timer = setInterval(() => send('status', statusView(node, operator)), statusIntervalMs);
  send('status', statusView(node, operator));
  function close() {
    stream.release();
    clearInterval(timer);
    node.chain.off('connect', onConnect);
    node.chain.off('reorg', onReorg);
    node.mempool.off('added', onTx);
  }
  req.raw.on('close', close);
  res.on('close', close);
  res.on('error', close);
  return reply;
}
