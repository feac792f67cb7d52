// 6. Corrupted copies of one valid header: COPIES copies of a ~1 MB side block (its header has valid proof
// of work), each with one corruption in its body, gossiped by one peer: half change a signature (the
// txids, so the header's Merkle root, do not cover signatures today), half an outpoint (the body no
// longer matches the root). Baseline: one honest side block of the same size. Measured: what the victim
// stored, what it counted against the sender, the sender's score, and whether the honest copy of the
// block, sent after the corrupted ones, is the one the victim keeps (a relayer must not choose which
// signatures other nodes store).
import { toHex } from '../../src/core/bytes.js';
import { NETWORKS } from '../../src/core/params.js';
import { getJson, mine, type NodeProcess } from '../../test/support/node-process.js';
import { formatNumber, progress, type Row } from '../lib/report.js';
import { startAttacker } from './attacker.js';
import { bigBlock, corruptedCopy, fillerTxs } from './blocks.js';
import { windowRows } from './rows.js';
import { hasBlock, MB, measure, peersOf, sleep, startBenchNode } from './victim.js';

export const COPIES = 50;
export const COPY_BYTES = 950_000;
/** After the last publish, for the victim's gossip validation to finish. */
const SETTLE_MS = 3_000;

/** The signature of the first filler transaction's first input, as the victim serves the block. */
async function storedSignature(node: NodeProcess, hash: string): Promise<string | undefined> {
  if (!(await hasBlock(node, hash))) return undefined;
  return (await getJson(node.url, `/api/v1/blocks/${hash}`)).txs[1]?.inputs[0]?.signature;
}

export async function corruptedCopiesAttack(): Promise<Row[]> {
  const attack = `6. ${COPIES} corrupted copies of one header, ${formatNumber(COPY_BYTES / 1000)} kB bodies`;
  const victim = await startBenchNode('regtest');
  try {
    const [first] = await mine(victim.url, 2);
    // Above the median time past of the victim's blocks, which it just mined at the current time.
    const time = Math.floor(Date.now() / 1000) + 60;
    // Side blocks at height 2 next to the victim's own: as much work as its tip, so stored, not connected.
    const side = (extraNonce: bigint) =>
      bigBlock({
        params: NETWORKS.regtest,
        parentHash: first!,
        height: 2,
        time,
        txs: fillerTxs(COPY_BYTES),
        extraNonce,
      });
    const honest = side(1n);
    const target = side(2n);
    const copies = Array.from({ length: COPIES }, (_, n) => toHex(corruptedCopy(target.block, n)));
    const attacker = await startAttacker(victim);
    try {
      const base = await measure(
        victim,
        async () => {
          await attacker.gossipBlock(honest.hex);
        },
        SETTLE_MS,
      );
      progress(`attacks: corrupted copies: gossiping ${COPIES}`);
      let delivered = 0;
      const hit = await measure(
        victim,
        async () => {
          for (const hex of copies) if (await attacker.gossipBlock(hex)) delivered++;
        },
        SETTLE_MS,
      );
      const seen = (await peersOf(victim)).find((p) => p.id === attacker.peerId);
      const storedAfterCopies = await storedSignature(victim, target.hash);
      // The honest copy comes after them (from the same peer: the question is which bytes are kept).
      await attacker.gossipBlock(target.hex);
      await sleep(1_000);
      const honestSig = toHex(target.block.txs[1]!.inputs[0]!.signature);
      const kept = await storedSignature(victim, target.hash);
      const corruptKept = kept !== undefined && kept !== honestSig;
      return [
        ...windowRows(attack, base.window, hit.window, {
          baseline: 'one honest side block of the same size',
          diskGoal: { mb: (1.5 * target.bytes.length) / MB, text: 'at most 1 copy' },
        }),
        {
          name: `${attack}: counted against the sender (invalid + malleated)`,
          value: seen ? seen.invalid + seen.malleated : Number.NaN,
          unit: `of ${COPIES}`,
          note: `${delivered} delivered by gossip${attacker.connected ? '' : ` (connection refused: ${attacker.connectError})`}; ${
            seen
              ? `invalid ${seen.invalid}, malleated ${seen.malleated}`
              : 'the sender is gone (disconnected or banned)'
          }; after the copies the victim ${
            storedAfterCopies === undefined
              ? 'stored no block under that hash'
              : storedAfterCopies === honestSig
                ? 'stored the block with the honest signatures'
                : 'stored a corrupted copy as the block'
          }`,
        },
        {
          name: `${attack}: the sender's score on the victim`,
          value: seen?.score ?? 0,
          unit: 'points',
          baseline: '100 (clean)',
          goal: '< 100 (the sender pays)',
          met: !seen || seen.score < 100,
          note: seen ? '' : 'disconnected or banned: counted as 0',
        },
        {
          name: `${attack}: a corrupted copy is what the victim keeps`,
          value: corruptKept ? 1 : 0,
          unit: corruptKept ? '(yes)' : '(no)',
          goal: 'no',
          met: !corruptKept,
          note: `after the honest copy came too: ${
            kept === undefined
              ? 'no block stored under that hash'
              : corruptKept
                ? 'a corrupted copy'
                : 'the honest copy'
          }`,
        },
      ];
    } finally {
      await attacker.stop();
    }
  } finally {
    await victim.stop();
  }
}
