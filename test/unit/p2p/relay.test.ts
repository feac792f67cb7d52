// Relay decided in one place: what the node reports (ChainAccess.onRelay) reaches the peers by the
// path relay.ts picks for it. (What the node reports: test/unit/node/relay-events.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { blockHashOf } from '../../../src/p2p/header.js';
import { FakeChain, makeTx } from './fake-chain.js';
import { connect, Nodes, waitFor, waitForMesh } from './helpers.js';

const nodes = new Nodes();
afterEach(() => nodes.stopAll());

async function pair() {
  const chains = [new FakeChain(), new FakeChain()];
  for (const chain of chains) chain.extend(3);
  const a = await nodes.start(chains[0]);
  const b = await nodes.start(chains[1]);
  await connect(b, a);
  await waitForMesh(a, b);
  return { ours: chains[0], theirs: chains[1] };
}

describe('relay', () => {
  it('gossips a block the node reports as its new tip', async () => {
    const { ours, theirs } = await pair();
    const block = ours.nextBlock('mined');
    await ours.submitBlock(block);
    ours.relay({ kind: 'block', hash: blockHashOf(block), bytes: block });
    await waitFor(() => theirs.hasBlock(blockHashOf(block)), 'block at the peer');
    expect(theirs.tip().hash).toBe(blockHashOf(block));
  });

  it('gossips a local transaction, and announces restored ones (which gossip would drop)', async () => {
    const { ours, theirs } = await pair();
    const local = makeTx('local');
    const txid = ours.addTxUnchecked(local);
    ours.relay({ kind: 'tx', txid, bytes: local });
    await waitFor(() => theirs.getPendingTx(txid) !== undefined, 'local tx at the peer');
    expect(theirs.txSubmissions.find((s) => s.tx === 'tx:local')?.status).toBe('accepted');

    const restored = makeTx('restored');
    const restoredId = ours.addTxUnchecked(restored);
    ours.relay({ kind: 'restored', txids: [restoredId] });
    await waitFor(() => theirs.getPendingTx(restoredId) !== undefined, 'restored tx at the peer');
  });
});
