// Corrupted copies of a valid block never condemn it. A copy keeps the real block's header (so its
// hash) under a body that breaks one rule; the header's Merkle root does not commit to that body, so
// a node must refuse the copy without remembering the hash, and still take the real block: through
// POST /api/v1/blocks, and through gossip from a hostile peer (test/support/hostile-peer.ts), with the
// real block sent by that peer or by an honest one. Over gossip a copy costs its sender 10 points, and
// after 2 failed copies of one header the node looks at no more copies of it for a while (by gossip:
// the real block then comes through the API or a sync).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Block,
  blockHashHex,
  commitSignatures,
  computeMerkleRoot,
  encodeBlock,
} from '../../src/core/block.js';
import { concatBytes, toHex } from '../../src/core/bytes.js';
import type { RuleCode } from '../../src/core/errors.js';
import { MAX_BLOCK_SIZE, MAX_MONEY } from '../../src/core/params.js';
import type { Tx, TxInput } from '../../src/core/tx.js';
import { solveBlock } from '../../src/miner/template.js';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  type NodeProcess,
  snapshot,
  startNode,
  waitFor,
} from '../support/node-process.js';
import { coinbaseBlockOn } from '../support/p2p-blocks.js';

cleanupNodesAfterAll();

const nextBlock = coinbaseBlockOn;

const input = (index: number): TxInput => ({
  prevTxid: new Uint8Array(32).fill(7),
  prevIndex: index,
  publicKey: new Uint8Array(32).fill(1),
  signature: new Uint8Array(64).fill(2),
});

/** A well-formed spend of nothing in particular, to break one rule with. */
const looseTx = (patch: Partial<Tx> = {}, index = 0): Tx => ({
  version: 1,
  inputs: [input(index)],
  outputs: [{ amount: 1n, address: new Uint8Array(20) }],
  data: new Uint8Array(),
  ...patch,
});

/** [coinbase, 11 large transactions] encoding to exactly `size` bytes under any header. */
function bodyOfSize(coinbase: Tx, size: number): Tx[] {
  const fill = (extra: number) => [
    coinbase,
    ...Array.from({ length: 11 }, (_, i) =>
      looseTx({ data: new Uint8Array(90_000 + (i === 10 ? extra : 0)) }, i),
    ),
  ];
  const header = {
    version: 1,
    prevHash: new Uint8Array(32),
    merkleRoot: new Uint8Array(32),
    time: 0,
    bits: 0,
    nonce: 0,
  };
  return fill(size - encodeBlock({ header, txs: fill(0) }).length);
}

/** For each rule a body can break on its own, a body of the real block (its coinbase `cb`) breaking it. */
const CORRUPTIONS: ReadonlyArray<readonly [RuleCode, (cb: Tx) => Tx[]]> = [
  ['bad-coinbase-data', (cb) => [{ ...cb, data: cb.data.slice(0, 11) }]],
  ['no-outputs', (cb) => [{ ...cb, outputs: [] }]],
  ['bad-amount', (cb) => [{ ...cb, outputs: [{ ...cb.outputs[0]!, amount: MAX_MONEY + 1n }] }]],
  ['bad-coinbase', (cb) => [cb, { ...cb, data: concatBytes(cb.data, Uint8Array.of(1)) }]],
  ['bad-version', (cb) => [cb, looseTx({ version: 3 })]],
  ['bad-data-size', (cb) => [cb, looseTx({ data: new Uint8Array(1025) })]],
  ['double-spend', (cb) => [cb, looseTx({ inputs: [input(0), input(0)] })]],
  [
    'tx-too-large',
    (cb) => [cb, looseTx({ outputs: Array(3600).fill({ amount: 1n, address: new Uint8Array(20) }) })],
  ],
  // The largest block the API takes: one byte over the limit.
  ['block-too-large', (cb) => bodyOfSize(cb, MAX_BLOCK_SIZE + 1)],
];

/** The corrupted copy (the real header over `txs`) and the same body mined under its own header. */
function variants(real: Block, txs: Tx[]): { copy: Block; own: Block } {
  // Under its own header the coinbase commits to the body's signatures, so only the rule breaks.
  const body = commitSignatures({ header: real.header, txs }).txs;
  const own = solveBlock({ header: { ...real.header, merkleRoot: computeMerkleRoot(body) }, txs: body })!;
  return { copy: { header: real.header, txs }, own };
}

const hexOf = (block: Block) => toHex(encodeBlock(block));

/** The node's "rejected block" log lines (JSON, one a line). */
function rejectedLines(node: NodeProcess): Json[] {
  return node
    .logs()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('rejected block'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return []; // a partial line
      }
    });
}

async function tipBlock(node: NodeProcess): Promise<Json> {
  const status = await getJson(node.url, '/api/v1/status');
  return getJson(node.url, `/api/v1/blocks/${status.tip}`);
}

describe('corrupted copies through POST /api/v1/blocks', () => {
  let node: NodeProcess;
  beforeAll(async () => {
    node = await startNode({ network: 'regtest' });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('refuses each copy as a Merkle root mismatch; the real block and a child connect after', async () => {
    const before = await snapshot(node.url);
    const real = nextBlock(await tipBlock(node));
    const post = (block: Block) => api(node.url).post('/api/v1/blocks', { hex: hexOf(block) });
    for (const [rule, corrupt] of CORRUPTIONS) {
      const { copy, own } = variants(real, corrupt(real.txs[0]!));
      // Under a header of its own the body is refused for its rule: it really breaks it.
      const mined = await post(own);
      expect([mined.status, mined.body.error], rule).toEqual([400, rule]);
      // Under the real header it is refused for not being the body the header commits to.
      const r = await post(copy);
      expect([r.status, r.body.error], rule).toEqual([400, 'bad-merkle-root']);
      expect(typeof r.body.message, rule).toBe('string');
    }
    expect(await snapshot(node.url)).toEqual(before);

    const accepted = await post(real);
    expect([accepted.status, accepted.body.status]).toEqual([201, 'connected']);
    const child = nextBlock(await tipBlock(node));
    const childResult = await post(child);
    expect([childResult.status, childResult.body.status]).toEqual([201, 'connected']);
    const after = await getJson(node.url, '/api/v1/status');
    expect([after.height, after.tip]).toEqual([before.height + 2, childResult.body.hash]);
  });
});

/** Failed copies of one header a node looks at by gossip (src/p2p/gossip-limits.ts). */
const COPIES_LOOKED_AT = 2;

describe('corrupted copies through gossip', () => {
  let a: NodeProcess;
  let b: NodeProcess;
  let hostile: HostilePeer | undefined;
  let peer: string;

  beforeAll(async () => {
    // A and B only, as told: B must not dial the hostile peer through what A learns of it.
    a = await startNode({ args: ['--min-peers', '0'] });
    const status = await getJson(a.url, '/api/v1/status');
    b = await startNode({ args: ['--peer', status.p2p.addrs[0], '--min-peers', '0'] });
    await waitFor(async () => (await getJson(b.url, '/api/v1/peers')).peers.length > 0, 'B to connect to A');
    hostile = await startHostilePeer('regtest', status.genesis);
    const connected = await hostile.command('connect', { addr: status.p2p.addrs[0] });
    expect(connected, JSON.stringify(connected)).toMatchObject({ ok: true });
    peer = connected.peer;
  });
  afterAll(async () => {
    await hostile?.stop();
  });

  const hostileSeenByA = async (): Promise<Json> =>
    (await getJson(a.url, '/api/v1/peers')).peers.find((p: Json) => p.id === hostile!.peerId);

  /** The hostile peer gossips a copy of `real` for every corruption; A looks at 2, each costing 10 points. */
  async function gossipCopies(real: Block): Promise<void> {
    const seen = await hostileSeenByA();
    const before = seen?.malleated ?? 0;
    const score = seen?.score ?? 100;
    for (const [, corrupt] of CORRUPTIONS) {
      const r = await hostile!.command('gossip', {
        topic: 'blocks',
        hex: hexOf(variants(real, corrupt(real.txs[0]!)).copy),
      });
      expect(r.recipients).toContain(peer);
    }
    await waitFor(
      async () => ((await hostileSeenByA())?.malleated === before + COPIES_LOOKED_AT ? true : undefined),
      `A to note ${COPIES_LOOKED_AT} corrupted copies`,
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    // A marker that costs nothing and is logged: once A refused it, A has seen every copy before it.
    const future = Math.floor(Date.now() / 1000) + 3 * 3600;
    const marker = { ...real, header: { ...real.header, time: future } };
    const solved = solveBlock(marker)!;
    await hostile!.command('gossip', { topic: 'blocks', hex: hexOf(solved) });
    await waitFor(
      () => rejectedLines(a).some((l) => l.hash === blockHashHex(solved) && l.code === 'time-too-new'),
      'A to refuse the marker',
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(await hostileSeenByA()).toMatchObject({
      score: score - 10 * COPIES_LOOKED_AT,
      malleated: before + COPIES_LOOKED_AT,
    });
    expect(rejectedLines(a).filter((l) => l.hash === blockHashHex(real))).toHaveLength(COPIES_LOOKED_AT);
  }

  const tipOf = async (node: NodeProcess) => (await getJson(node.url, '/api/v1/status')).tip;
  const waitForTip = (node: NodeProcess, hash: string, what: string) =>
    waitFor(async () => ((await tipOf(node)) === hash ? true : undefined), what, { timeoutMs: 20_000 });

  it('the hostile peer sends copies, then the real block: not condemned, A and B end on it', async () => {
    const start = await tipOf(a);
    const real = nextBlock(await tipBlock(a));
    const hash = blockHashHex(real);
    await gossipCopies(real);
    expect(await tipOf(a)).toBe(start);
    // By gossip the real block now waits with its copies; by the API it is taken, and A relays it.
    const posted = await api(a.url).post('/api/v1/blocks', { hex: hexOf(real) });
    expect([posted.status, posted.body.status]).toEqual([201, 'connected']);
    await waitForTip(a, hash, 'A to connect the real block');
    await waitForTip(b, hash, 'B to get the real block from A');
    expect(await hostileSeenByA()).toMatchObject({ invalid: COPIES_LOOKED_AT });
  });

  it('the hostile peer sends copies, an honest peer the real block: A ends on it', async () => {
    const real = nextBlock(await tipBlock(b));
    await gossipCopies(real);
    const posted = await api(b.url).post('/api/v1/blocks', { hex: hexOf(real) });
    expect([posted.status, posted.body.status]).toEqual([201, 'connected']);
    await waitForTip(a, posted.body.hash, 'A to connect the real block from B');
    // A said why it refused each copy, and relayed none of them: B never had anything to reject.
    const refused = await waitFor(
      () => {
        const lines = rejectedLines(a).filter((l) => l.hash === posted.body.hash);
        return lines.length === COPIES_LOOKED_AT ? lines : undefined;
      },
      'the log lines of the refused copies',
      { timeoutMs: 5_000, intervalMs: 50 },
    );
    expect(new Set(refused.map((l) => l.code))).toEqual(new Set(['bad-merkle-root']));
    expect(rejectedLines(b)).toEqual([]);
  });
});
