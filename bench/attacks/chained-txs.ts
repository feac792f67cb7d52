// 5. Chained transactions through the public `POST /api/v1/tx`: CHAIN transactions, each spending its
// parent's only output at a higher fee rate. Baseline: the same number of independent transactions (each
// spending its own confirmed coin, fee rates spread). Measured in each case: how many the node accepted
// (a bounded mempool refuses a long chain with `too-long-mempool-chain`), the time of `POST /api/v1/mine`
// (block template, proof of work at regtest's trivial target, connecting the block) and
// `GET /api/v1/status` p99 during that call.
import { fromHex } from '../../src/core/bytes.js';
import { encodeTx, type TxOutput, txSize } from '../../src/core/tx.js';
import { encodeAddress } from '../../src/crypto/address.js';
import { api, getJson, mine, type NodeProcess } from '../../test/support/node-process.js';
import { formatNumber, progress, type Row } from '../lib/report.js';
import { type BenchKey, benchKey, type OwnedCoin, regtest, signedTx } from '../lib/spend-chain.js';
import { latencyPercentile, samplesBetween } from '../lib/status-poller.js';
import { ratioOver, windowRows } from './rows.js';
import { measure, startBenchNode } from './victim.js';

export const CHAIN = 1_500;
/** Submitting stops after this long; what was not sent by then is counted as not sent. */
const SUBMIT_BUDGET_MS = 40_000;
const FAN_OUT = CHAIN / 2;
const TEMPLATE_GOAL_RATIO = 2;

interface Submitted {
  accepted: number;
  refused: Map<string, number>;
  unsent: number;
}

/** POSTs each transaction (in order, `concurrency` at a time) until done or out of budget. */
async function submitAll(
  node: NodeProcess,
  hexes: readonly string[],
  concurrency: number,
): Promise<Submitted> {
  const out: Submitted = { accepted: 0, refused: new Map(), unsent: 0 };
  const deadline = performance.now() + SUBMIT_BUDGET_MS;
  let next = 0;
  const worker = async () => {
    while (next < hexes.length && performance.now() < deadline) {
      const hex = hexes[next++]!;
      const r = await api(node.url, { timeoutMs: 20_000 })
        .post('/api/v1/tx', { hex })
        .catch((e: Error) => ({ status: 0, body: { error: e.name } }));
      if (r.status === 201) out.accepted++;
      else {
        const code = String(r.body?.error ?? `HTTP ${r.status}`);
        out.refused.set(code, (out.refused.get(code) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  out.unsent = hexes.length - next;
  return out;
}

const describe = (s: Submitted) =>
  `${s.accepted} accepted${[...s.refused].map(([code, n]) => `, ${n} refused (${code})`).join('')}${
    s.unsent ? `, ${s.unsent} not sent within ${SUBMIT_BUDGET_MS / 1000} s` : ''
  }`;

/** Times `POST /api/v1/mine`; its ms, the txs in the block, and when it ran. */
async function timedMine(node: NodeProcess) {
  const from = performance.timeOrigin + performance.now();
  const t0 = performance.now();
  const r = await api(node.url, { timeoutMs: 120_000 }).post('/api/v1/mine', {});
  const ms = performance.now() - t0;
  const to = performance.timeOrigin + performance.now();
  if (r.status !== 201) throw new Error(`POST /api/v1/mine: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return { ms, txs: (r.body.txs as unknown[]).length - 1, from, to };
}

/** The coinbase of a block the node mined to `key`, as a coin. */
async function coinbaseOf(node: NodeProcess, hash: string, key: BenchKey): Promise<OwnedCoin> {
  const block = await getJson(node.url, `/api/v1/blocks/${hash}`);
  const cb = block.txs[0];
  return { txid: fromHex(cb.txid), index: 0, amount: BigInt(cb.outputs[0].amount), key };
}

/** A transaction spending `coin` into `outputs` amounts to the key's own address, fee `fee`. */
function spend(coin: OwnedCoin, amounts: readonly bigint[]) {
  const outputs: TxOutput[] = amounts.map((amount) => ({ amount, address: coin.key.address }));
  return signedTx([coin], outputs);
}

export async function chainedTxsAttack(): Promise<Row[]> {
  const attack = `5. ${formatNumber(CHAIN)} chained transactions at rising fee rates`;
  const victim = await startBenchNode('regtest');
  try {
    const key = benchKey(7);
    const address = encodeAddress(regtest.addressPrefix, key.address);
    const [b1, b2, b3] = await mine(victim.url, 3, address);
    const coins = [await coinbaseOf(victim, b1!, key), await coinbaseOf(victim, b2!, key)];
    const chainCoin = await coinbaseOf(victim, b3!, key);

    // Baseline: two fan-outs confirmed, then one spend of each of their outputs.
    const fanFee = 200_000n;
    const fans = coins.map((c) => {
      const each = (c.amount - fanFee) / BigInt(FAN_OUT);
      return {
        ...spend(
          c,
          Array.from({ length: FAN_OUT }, () => each),
        ),
        each,
      };
    });
    for (const f of fans) {
      const r = await api(victim.url).post('/api/v1/tx', {
        hex: Buffer.from(encodeTx(f.tx)).toString('hex'),
      });
      if (r.status !== 201) throw new Error(`fan-out refused: ${r.text.slice(0, 200)}`);
    }
    await mine(victim.url, 1);
    const independent = fans.flatMap((f) =>
      Array.from({ length: FAN_OUT }, (_, i) => {
        const fee = 200n + BigInt((i * 7919) % 20_000);
        const { tx } = spend({ txid: f.id, index: i, amount: f.each, key }, [f.each - fee]);
        return Buffer.from(encodeTx(tx)).toString('hex');
      }),
    );
    // The attack: each child pays more per byte than its parent.
    const chained: string[] = [];
    let coin = chainCoin;
    for (let i = 0; i < CHAIN; i++) {
      const fee = 200n + 2n * BigInt(i);
      const { tx, id } = spend(coin, [coin.amount - fee]);
      chained.push(Buffer.from(encodeTx(tx)).toString('hex'));
      coin = { txid: id, index: 0, amount: coin.amount - fee, key };
    }
    const txBytes = txSize(spend(chainCoin, [1n]).tx);

    progress(`attacks: chained txs: ${independent.length} independent transactions, then a block`);
    const base = await measure(victim, async () => {
      const submitted = await submitAll(victim, independent, 8);
      return { submitted, mined: await timedMine(victim) };
    });
    progress(`attacks: chained txs: ${CHAIN} chained transactions, then a block`);
    const hit = await measure(victim, async () => {
      const submitted = await submitAll(victim, chained, 1);
      return { submitted, mined: await timedMine(victim) };
    });
    const p99During = (w: typeof base) =>
      latencyPercentile(samplesBetween(w.window.samples, w.result.mined.from, w.result.mined.to), 99);
    const [baseP99, hitP99] = [p99During(base), p99During(hit)];
    const { mined, submitted } = hit.result;
    return [
      ...windowRows(attack, base.window, hit.window, {
        baseline: `${formatNumber(independent.length)} independent transactions`,
      }),
      {
        name: `${attack}: transactions the node accepted`,
        value: submitted.accepted,
        unit: `of ${formatNumber(CHAIN)}`,
        baseline: `${formatNumber(base.result.submitted.accepted)} of ${formatNumber(independent.length)} independent`,
        note: `${describe(submitted)}; ~${txBytes} B each; baseline ${describe(base.result.submitted)}`,
      },
      {
        name: `${attack}: POST /api/v1/mine (template, PoW, connect)`,
        value: mined.ms,
        unit: 'ms',
        baseline: `${formatNumber(base.result.mined.ms)} ms (${formatNumber(base.result.mined.txs)} independent transactions)`,
        ratio: ratioOver(mined.ms, base.result.mined.ms, 0.01),
        goal: `≤ ${TEMPLATE_GOAL_RATIO}x the baseline`,
        met: mined.ms <= TEMPLATE_GOAL_RATIO * base.result.mined.ms,
        note: `the block took ${mined.txs} transactions`,
      },
      {
        name: `${attack}: /api/v1/status p99 during POST /api/v1/mine`,
        value: hitP99,
        unit: 'ms',
        baseline: `${formatNumber(baseP99)} ms (during the baseline's block)`,
        ratio: ratioOver(hitP99, baseP99, 0.01),
      },
    ];
  } finally {
    await victim.stop();
  }
}
