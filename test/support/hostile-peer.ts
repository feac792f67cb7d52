// A misbehaving peer for test/integration/p2p-hostile.test.ts: a bare libp2p host (TCP, Noise, Yamux,
// identify, gossipsub: what a Hashline node runs) that speaks Hashline's protocols by hand and sends
// whatever the test tells it to: malformed gossip, invalid blocks and transactions, garbage sync frames.
//
//   node --import tsx test/support/hostile-peer.ts <network> <genesis hash>
//
// It is driven over HTTP on 127.0.0.1 (its port is in the first line it prints:
// {"ready":true,"port":…,"peerId":…}). Every command is a POST with a JSON body and answers JSON:
//
//   /connect        {addr}                   dial a node, exchange status, wait for its gossip subscriptions
//   /gossip         {topic, hex}             publish raw bytes on 'blocks', 'txs' or 'class' (a class's topic)
//   /sync-request   {hex}                    open a sync stream, write these raw bytes, collect the answer
//   /raw-stream     {protocol, hex}          open a stream with any protocol and write raw bytes
//   /serve          {mode, headers?, blocks?, delayMs?} how to answer the node's sync requests (see SyncMode)
//   /announce       {height, tipHash, chainWork}  claim this chain in status, and tell the node now
//   /state          {}                       connections to the node, and the sync requests served
//   /churn          {addr, count}            that many throwaway hosts (new peer ids, our address) connect
//                                            to the node one after another, meet its gossipsub, and leave
//   /sybils-state   {}                       which of the /sybils ids (below) are still connected to the node
//
// The test driver is test/support/hostile-driver.ts.
import '../../src/polyfill.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { type GossipSub, gossipsub, StrictNoSign } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import type { PeerId, Stream } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { concatBytes, fromHex } from '../../src/core/bytes.js';
import { decodeStatus, decodeSyncRequest, decodeSyncResponse, encodeStatus } from '../../src/p2p/codec.js';
import { encodeVarint, FrameStream, withTimeout } from '../../src/p2p/framing.js';
import { blockHashOf } from '../../src/p2p/header.js';
import { LIMITS, MAX_RESPONSE_FRAME, protocolIds } from '../../src/p2p/protocol.js';
import type { PeerStatus } from '../../src/p2p/types.js';
import { blockRelayCommands } from './block-relay.js';

const [network, genesisHash] = process.argv.slice(2);
if (!network || !genesisHash) {
  console.error('usage: hostile-peer.ts <network> <genesis hash>');
  process.exit(2);
}
const ids = protocolIds(network);

/**
 * How the node's sync requests are answered:
 * - garbage: a frame of an unknown type, whatever was asked
 * - headers: the given 80-byte headers for GET_HEADERS, an empty END for GET_BLOCKS
 * - blocks: the given blocks' headers for GET_HEADERS, the blocks asked for GET_BLOCKS
 * - slow: as blocks, but each answer waits `delayMs` (at most 60 s) and carries one block only
 */
type SyncMode = 'garbage' | 'headers' | 'blocks' | 'slow';
/** The longest a slow answer waits: the node's longest request timeout. */
const MAX_SLOW_DELAY_MS = 60_000;

let claimed: PeerStatus = { network, genesisHash, height: 0, tipHash: genesisHash, chainWork: 1n };
let syncMode: SyncMode = 'garbage';
let servedHeaders: Uint8Array[] = [];
let servedBlocks = new Map<string, Uint8Array>();
let slowDelayMs = 0;
const requestsSeen: string[] = [];
let nodePeer: PeerId | undefined;

const host = await createLibp2p({
  privateKey: await generateKeyPair('Ed25519'),
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    pubsub: gossipsub({
      globalSignaturePolicy: StrictNoSign,
      allowPublishToZeroTopicPeers: true,
      emitSelf: false,
      fallbackToFloodsub: false,
    }),
  },
});
const pubsub = host.services.pubsub as GossipSub;
// Subscribing makes the node add us to its mesh, as an honest peer would be.
pubsub.subscribe(ids.blocksTopic);
pubsub.subscribe(ids.txsTopic);
pubsub.subscribe(ids.classTopic);

/** libp2p sometimes rejects with a bare Event (a closed stream): name it by its type. */
const abortOf = (err: unknown): Error =>
  err instanceof Error ? err : new Error(err instanceof Event ? `${err.type} event` : String(err));

/** Answers a node's status request with the status we claim. */
async function answerStatus(stream: Stream): Promise<void> {
  const frames = new FrameStream(stream, LIMITS.maxStatusFrame);
  try {
    const signal = withTimeout(10_000);
    const frame = await frames.read(signal);
    if (frame !== null) decodeStatus(frame);
    await frames.write(encodeStatus(claimed), signal);
    await frames.closeWrite(signal);
  } catch (err) {
    frames.abort(abortOf(err));
  }
}
await host.handle(ids.status, answerStatus);

function lengthPrefixed(body: Uint8Array): Uint8Array {
  return concatBytes(encodeVarint(body.length), body);
}

await host.handle(
  ids.sync,
  async (stream: Stream) => {
    const frames = new FrameStream(stream, LIMITS.maxRequestFrame);
    try {
      for (;;) {
        const frame = await frames.read(withTimeout(30_000));
        if (frame === null) break;
        const request = decodeSyncRequest(frame);
        requestsSeen.push(request.type);
        if (syncMode === 'garbage') {
          stream.send(lengthPrefixed(Uint8Array.of(0x99, 0x01, 0x02)));
          await frames.closeWrite();
          return;
        }
        if (syncMode === 'slow') await delay(slowDelayMs);
        if (request.type === 'getHeaders') {
          const body = new Uint8Array(1 + servedHeaders.length * 80);
          body[0] = 0x81;
          servedHeaders.forEach((h, i) => {
            body.set(h, 1 + i * 80);
          });
          await frames.write(body);
        } else {
          const out: Uint8Array[] = [];
          for (const hash of request.hashes) {
            const block = syncMode === 'blocks' || syncMode === 'slow' ? servedBlocks.get(hash) : undefined;
            if (!block) break;
            out.push(concatBytes(Uint8Array.of(0x82), block));
            if (syncMode === 'slow') break;
          }
          out.push(Uint8Array.of(0x83));
          await frames.writeMany(out);
        }
      }
      await frames.closeWrite();
    } catch (err) {
      frames.abort(abortOf(err));
    }
  },
  { maxInboundStreams: 16 },
);

/** Sends our claimed status to the node and reads its answer. */
async function exchangeStatus(peer: PeerId): Promise<PeerStatus> {
  const signal = withTimeout(10_000);
  const stream = await host.dialProtocol(peer, ids.status, { signal });
  const frames = new FrameStream(stream, LIMITS.maxStatusFrame);
  try {
    await frames.write(encodeStatus(claimed), signal);
    await frames.closeWrite(signal);
    const frame = await frames.read(signal);
    if (frame === null) throw new Error('the node closed the status stream without answering');
    return decodeStatus(frame);
  } catch (err) {
    frames.abort(abortOf(err));
    throw err;
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function openConnections(): string[] {
  return host
    .getConnections()
    .filter((c) => c.status === 'open')
    .map((c) => c.remotePeer.toString());
}

type Body = Record<string, unknown>;
type Handler = (body: Body) => Promise<unknown>;

const commands: Record<string, Handler> = {
  async connect(body) {
    const addr = String(body.addr);
    let stage = 'dial';
    try {
      const connection = await host.dial(multiaddr(addr), { signal: AbortSignal.timeout(10_000) });
      nodePeer = connection.remotePeer;
      stage = 'status';
      const status = await exchangeStatus(nodePeer);
      stage = 'subscriptions';
      const peer = nodePeer.toString();
      const deadline = Date.now() + 10_000;
      const subscribed = (topic: string) => pubsub.getSubscribers(topic).some((p) => p.toString() === peer);
      while (!(subscribed(ids.blocksTopic) && subscribed(ids.txsTopic))) {
        if (Date.now() > deadline) throw new Error('the node never announced its gossip subscriptions');
        await delay(25);
      }
      return { ok: true, peer, status: { height: status.height, tipHash: status.tipHash } };
    } catch (err) {
      // Give a refused connection a moment to be torn down before reporting what is left of it.
      await delay(500);
      return { ok: false, stage, error: abortOf(err).message, connections: openConnections() };
    }
  },

  async gossip(body) {
    const topic =
      body.topic === 'blocks' ? ids.blocksTopic : body.topic === 'class' ? ids.classTopic : ids.txsTopic;
    const result = await pubsub.publish(topic, fromHex(String(body.hex)));
    return { ok: true, recipients: result.recipients.map((p) => p.toString()) };
  },

  async 'sync-request'(body) {
    if (!nodePeer) throw new Error('not connected');
    const stream = await host.dialProtocol(nodePeer, ids.sync, { signal: withTimeout(10_000) });
    const frames = new FrameStream(stream, MAX_RESPONSE_FRAME, 64 * 1024 * 1024);
    stream.send(fromHex(String(body.hex)));
    await stream.close().catch(() => {});
    const answer: string[] = [];
    const signal = withTimeout(10_000);
    try {
      for (;;) {
        const frame = await frames.read(signal);
        if (frame === null) break;
        const decoded = decodeSyncResponse(frame);
        answer.push(decoded.type === 'error' ? `error:${decoded.message}` : decoded.type);
      }
    } catch (err) {
      answer.push(`closed:${abortOf(err).message}`);
    }
    return { ok: true, answer };
  },

  async 'raw-stream'(body) {
    if (!nodePeer) throw new Error('not connected');
    const stream = await host.dialProtocol(nodePeer, String(body.protocol), { signal: withTimeout(10_000) });
    stream.send(fromHex(String(body.hex)));
    await stream.close({ signal: withTimeout(5_000) }).catch(() => stream.abort(new Error('closing')));
    return { ok: true };
  },

  async serve(body) {
    syncMode = body.mode as SyncMode;
    slowDelayMs = Math.min(MAX_SLOW_DELAY_MS, Math.max(0, Number(body.delayMs ?? 0)));
    servedHeaders = ((body.headers as string[] | undefined) ?? []).map((h) => fromHex(h));
    servedBlocks = new Map();
    for (const hex of (body.blocks as string[] | undefined) ?? []) {
      const block = fromHex(hex);
      servedBlocks.set(blockHashOf(block), block);
      if (body.headers === undefined) servedHeaders.push(block.subarray(0, 80));
    }
    return { ok: true };
  },

  async announce(body) {
    if (!nodePeer) throw new Error('not connected');
    claimed = {
      network,
      genesisHash,
      height: Number(body.height),
      tipHash: String(body.tipHash),
      chainWork: BigInt(String(body.chainWork)),
    };
    await exchangeStatus(nodePeer);
    return { ok: true };
  },

  async 'sybils-state'() {
    const open = sybils.filter((h) => h.getConnections().some((c) => c.status === 'open'));
    return { ok: true, total: sybils.length, connected: open.map((h) => h.peerId.toString()) };
  },

  async state() {
    return { ok: true, connections: openConnections(), requests: requestsSeen };
  },

  async churn(body) {
    const addr = multiaddr(String(body.addr));
    const count = Math.min(100, Number(body.count));
    for (let i = 0; i < count; i++) {
      // A throwaway host like a sybil's (subscribed, answering status), not kept.
      const temp = await createSybil();
      try {
        const tempSub = temp.services.pubsub as GossipSub;
        // libp2p refuses more than a few inbound connections a second from one host: retry a refused dial.
        let node = '';
        for (let attempt = 1; node === ''; attempt++) {
          try {
            node = (await temp.dial(addr, { signal: AbortSignal.timeout(10_000) })).remotePeer.toString();
          } catch (err) {
            if (attempt >= 10) throw err;
            await delay(250);
          }
        }
        // The node told us its subscriptions: its gossipsub has taken us in (and will remember our address).
        const deadline = Date.now() + 10_000;
        while (!tempSub.getSubscribers(ids.blocksTopic).some((p) => p.toString() === node)) {
          if (Date.now() > deadline) throw new Error(`churn ${i}: the node's gossipsub never met us`);
          await delay(25);
        }
      } finally {
        await temp.stop();
      }
    }
    return { ok: true, churned: count };
  },
};

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Body);
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

const control = createServer((req, res) => {
  const name = (req.url ?? '').slice(1);
  const command = commands[name];
  if (req.method !== 'POST' || !command) return reply(res, 404, { ok: false, error: `no command ${name}` });
  readBody(req)
    .then((body) => command(body))
    .then(
      (value) => reply(res, 200, value),
      (err) => reply(res, 500, { ok: false, error: abortOf(err).message }),
    );
});
control.listen(0, '127.0.0.1', () => {
  const address = control.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(JSON.stringify({ ready: true, port, peerId: host.peerId.toString() }));
});

const shutdown = async () => {
  control.close();
  try {
    await Promise.allSettled(sybils.map((h) => h.stop()));
    await host.stop();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());

// Commands for bench/attacks (appended; the ones above are unchanged):
//
//   /sybils         {addr, count, paceMs?}   start `count` more hosts in this process, one every paceMs (250):
//                                            fresh peer ids, gossipsub subscribed, answering status; each dials
//                                            the node and exchanges status
//   /sybils-leave   {}                       hang up and stop them all
//
// and bench/live-path's /load-blocks and /relay-loaded (block-relay.ts).

const sybils: Array<Awaited<ReturnType<typeof createSybil>>> = [];

async function createSybil() {
  const sybil = await createLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({ globalSignaturePolicy: StrictNoSign, allowPublishToZeroTopicPeers: true }),
    },
  });
  const sybilPubsub = sybil.services.pubsub as GossipSub;
  sybilPubsub.subscribe(ids.blocksTopic);
  sybilPubsub.subscribe(ids.txsTopic);
  await sybil.handle(ids.status, answerStatus);
  return sybil;
}

/** Dials the node from a new sybil and exchanges status. */
async function sybilJoins(addr: string): Promise<{ peerId: string; ok: boolean; error?: string }> {
  const sybil = await createSybil();
  sybils.push(sybil);
  const peerId = sybil.peerId.toString();
  try {
    const signal = AbortSignal.timeout(10_000);
    const connection = await sybil.dial(multiaddr(addr), { signal });
    const stream = await sybil.dialProtocol(connection.remotePeer, ids.status, { signal });
    const frames = new FrameStream(stream, LIMITS.maxStatusFrame);
    await frames.write(encodeStatus(claimed), signal);
    await frames.closeWrite(signal);
    if ((await frames.read(signal)) === null)
      return { peerId, ok: false, error: 'the node closed the status stream' };
    return { peerId, ok: true };
  } catch (err) {
    return { peerId, ok: false, error: abortOf(err).message };
  }
}

commands.sybils = async (body) => {
  const count = Math.min(Number(body.count), 200);
  // Paced: libp2p accepts a few inbound connections a second per host and resets the rest.
  const joins: Array<Promise<{ peerId: string; ok: boolean; error?: string }>> = [];
  for (let i = 0; i < count; i++) {
    joins.push(sybilJoins(String(body.addr)));
    await delay(Number(body.paceMs ?? 250));
  }
  const results = await Promise.all(joins);
  const errors = results.flatMap((r) => (r.error ? [r.error] : []));
  await delay(1000);
  const open = sybils.filter((s) => s.getConnections().some((c) => c.status === 'open')).length;
  return { ok: true, started: sybils.length, handshakes: count - errors.length, open, errors, results };
};

commands['sybils-leave'] = async () => {
  const stopped = sybils.length;
  await Promise.all(sybils.splice(0).map((s) => Promise.resolve(s.stop()).catch(() => {})));
  return { ok: true, stopped };
};

Object.assign(
  commands,
  blockRelayCommands(async (block) => (await pubsub.publish(ids.blocksTopic, block)).recipients.length),
);
