// A relayer swaps the signatures of a valid block before passing it on. Txids leave signatures out, so
// the copy has the block's header and hash; the coinbase's signature root tells it apart. A hostile
// peer gossips such a copy of a new side block to a node before the honest copy: the node refuses it
// (bad-sig-commitment, malleated) without storing it, then stores the honest copy when it comes, with
// the honest signatures, and connects it. (Before the signature root, the copy was stored as "the" side
// block and the honest copy answered `duplicate`: the relayer chose which signatures every node kept.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Block, encodeBlock } from '../../src/core/block.js';
import { sha256 } from '../../src/core/hash.js';
import { type Tx, txid } from '../../src/core/tx.js';
import { encodeAddress } from '../../src/crypto/address.js';
import { sign } from '../../src/crypto/ed25519.js';
import { spend, testKey } from '../support/chain-fixture.js';
import { type HostilePeer, startHostilePeer } from '../support/hostile-driver.js';
import {
  api,
  cleanupNodesAfterAll,
  getJson,
  type Json,
  type NodeProcess,
  startNode,
  waitFor,
  waitForHeight,
} from '../support/node-process.js';
import { buildBlock, regtest } from '../support/p2p-blocks.js';

cleanupNodesAfterAll();

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The node's "rejected block" log lines for `hash` (JSON, one a line). */
function rejections(node: NodeProcess, hash: string): Json[] {
  const out: Json[] = [];
  for (const line of node.logs().split('\n')) {
    if (!line.startsWith('{') || !line.includes('rejected block')) continue;
    try {
      const entry = JSON.parse(line);
      if (entry.hash === hash) out.push(entry);
    } catch {
      // a partial line
    }
  }
  return out;
}

/** The same block with every input's signature replaced by a well-formed signature of another message. */
function withOtherSignatures(block: Block, key: ReturnType<typeof testKey>): Block {
  const other = sign(sha256(new TextEncoder().encode('not this transaction')), key.privateKey);
  const swap = (tx: Tx): Tx => ({ ...tx, inputs: tx.inputs.map((i) => ({ ...i, signature: other })) });
  return { header: block.header, txs: block.txs.map((tx, i) => (i === 0 ? tx : swap(tx))) };
}

describe('a corrupted copy of a new block, gossiped before the honest one', () => {
  let victim: NodeProcess;
  let hostile: HostilePeer;
  let genesis: { hash: string; time: number };

  beforeAll(async () => {
    victim = await startNode({ args: ['--min-peers', '0'] });
    const status = await getJson(victim.url, '/api/v1/status');
    genesis = { hash: status.genesis, time: regtest.genesis.time };
    hostile = await startHostilePeer('regtest', genesis.hash);
    const connected = await hostile.command('connect', { addr: status.p2p.addrs[0] });
    expect(connected.ok, JSON.stringify(connected)).toBe(true);
  });

  afterAll(async () => {
    await hostile?.stop();
  });

  it('is refused without being stored, and the honest copy is then stored and connects with its own signatures', async () => {
    const key = testKey(7);
    const minerAddress = encodeAddress(regtest.addressPrefix, key.address);
    // Block 1 pays its coinbase to `key`; the victim's tip is then 2a. The attacked block 2b competes
    // with 2a and spends block 1's coinbase (maturity is 1 on regtest): with equal work it is stored
    // as a side block, unchecked against the coins, which is where a corrupted copy used to stay.
    const first = buildBlock({ parentHash: genesis.hash, height: 1, time: genesis.time + 10, minerAddress });
    const tipA = buildBlock({ parentHash: first.hash, height: 2, time: genesis.time + 20, minerAddress });
    for (const b of [first, tipA]) await hostile.command('gossip', { topic: 'blocks', hex: b.hex });
    await waitForHeight(victim.url, 2, 15_000);
    expect((await getJson(victim.url, '/api/v1/status')).tip).toBe(tipA.hash);

    const coinbase = first.block.txs[0]!;
    const amount = coinbase.outputs[0]!.amount;
    const payment = spend(
      key,
      [{ txid: txid(coinbase), index: 0, amount }],
      [{ address: testKey(8).address, amount: amount - 1000n }],
    );
    const honest = buildBlock({
      parentHash: first.hash,
      height: 2,
      time: genesis.time + 21,
      minerAddress,
      txs: [{ tx: payment, fee: 1000n }],
    });
    const copy = withOtherSignatures(honest.block, key);
    const copyHex = toHex(encodeBlock(copy));
    expect(copyHex).not.toBe(honest.hex);
    expect(copyHex.slice(0, 160)).toBe(honest.hex.slice(0, 160)); // the same 80-byte header, so the same hash

    await hostile.command('gossip', { topic: 'blocks', hex: copyHex });
    const [rejected] = await waitFor(
      () => {
        const lines = rejections(victim, honest.hash);
        return lines.length > 0 ? lines : undefined;
      },
      'the victim to refuse the corrupted copy',
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    expect(rejected.code).toBe('bad-sig-commitment');
    // Not stored: the block is unknown.
    expect((await api(victim.url).get(`/api/v1/blocks/${honest.hash}`)).status).toBe(404);

    await hostile.command('gossip', { topic: 'blocks', hex: honest.hex });
    const stored = await waitFor(
      async () => {
        const r = await api(victim.url).get(`/api/v1/blocks/${honest.hash}`);
        return r.status === 200 ? r.body : undefined;
      },
      'the honest copy to be stored',
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    expect(stored.txs[1].inputs[0].signature).toBe(toHex(payment.inputs[0]!.signature));

    // A child makes the branch heavier: the honest copy connects (its signatures verify).
    const child = buildBlock({ parentHash: honest.hash, height: 3, time: genesis.time + 30, minerAddress });
    await hostile.command('gossip', { topic: 'blocks', hex: child.hex });
    await waitFor(
      async () => (await getJson(victim.url, '/api/v1/status')).tip === child.hash || undefined,
      'the honest branch to become the tip',
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    expect(rejections(victim, honest.hash)).toHaveLength(1);
  });
});
