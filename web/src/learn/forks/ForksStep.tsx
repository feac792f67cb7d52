// Step 10: forks and the most work — the node's real block tree live, and a simulated fork.
import { LiveTree } from './LiveTree.js';
import { SimulatedFork } from './SimulatedFork.js';

export function ForksStep() {
  return (
    <>
      <section className="card learn-section learn-step" aria-labelledby="forks-live">
        <h2 id="forks-live">This node's blocks, live</h2>
        <p>
          Two miners can find a block at the same height at nearly the same time: the chain forks. Every node
          keeps both branches and follows the one with the most work; when another branch overtakes it, the
          node <strong>reorganises</strong>: it disconnects its blocks back to the fork point (their
          transactions go back to the mempool) and connects the other branch's. Mine on the Miner page, or
          submit a competing branch, and watch.
        </p>
        <LiveTree />
        <p className="small muted">
          The tree comes from the node's <code>GET /api/v1/chain/tree</code>: its active chain on top, and
          below it the side branches it holds (blocks of a branch with less work, kept in case that branch
          overtakes) and the orphans it holds in memory (blocks that arrived before their parent).
        </p>
      </section>
      <section className="card learn-section learn-step" aria-labelledby="forks-work">
        <h2 id="forks-work">Most work, not longest</h2>
        <p>
          A block's work is the number of hashes expected to find it, 2<sup>256</sup> / (target + 1) — the
          node's <code>workForBits</code>. Counting blocks would let an attacker win with many cheap blocks of
          a low difficulty; summing work means the branch that cost the most hashing wins. Branch A has one
          hard block, B two easy ones: add blocks and see which the node follows.
        </p>
        <SimulatedFork />
      </section>
    </>
  );
}
