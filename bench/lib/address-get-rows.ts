// GET /api/v1/address/:address for api.ts: does the view's cost grow with the address's history? Two
// addresses each get a chain of self-payments (one history entry per transaction, one unspent output
// at the end), a short one and a long one, so both answers hold the same page of history and one coin:
// only the history behind the page differs.
import { toHex } from '../../src/core/bytes.js';
import { encodeTx } from '../../src/core/tx.js';
import { encodeAddress } from '../../src/crypto/address.js';
import { CHAIN_LIMITS } from '../../src/mempool/limits.js';
import { leanGets, leanNote } from './block-get-rows.js';
import type { HttpLoadResult } from './http-load.js';
import { getJson, type NodeProcess, postJson } from './node-process.js';
import { formatNumber, progress, type Row } from './report.js';
import { benchKey, type OwnedCoin, regtest, signedTx } from './spend-chain.js';

/** History lengths of the two addresses: both above the default page of 50 entries. */
const SHORT = 100;
const LONG = 4_000;
/** Above the minimum fee rate (1 unit/byte) for a one-input one-output transaction. */
const FEE = 300n;
/** Loads of each address, taking turns (best of). */
const TURNS = 2;

export interface HistoryAddresses {
  short: string;
  long: string;
}

/**
 * Spends `from` into a chain of `length` transactions to one new key, each spending the last; a block is
 * mined whenever the pending part reaches the mempool's ancestor limit, and once at the end.
 */
async function selfPayments(
  node: NodeProcess,
  from: OwnedCoin,
  keyNumber: number,
  length: number,
  mine: () => Promise<unknown>,
) {
  const key = benchKey(keyNumber);
  let coin = from;
  for (let i = 0; i < length; i++) {
    const amount = coin.amount - FEE;
    const { tx, id } = signedTx([coin], [{ amount, address: key.address }]);
    await postJson(`${node.url}/api/v1/tx`, { hex: toHex(encodeTx(tx)) });
    coin = { txid: id, index: 0, amount, key };
    if ((i + 1) % CHAIN_LIMITS.ancestorCount === 0) await mine();
  }
  await mine();
  return encodeAddress(regtest.addressPrefix, key.address);
}

/** Makes the two addresses from two spare coins and mines their transactions. */
export async function historyAddresses(
  node: NodeProcess,
  spare: readonly [OwnedCoin, OwnedCoin],
  mine: () => Promise<unknown>,
): Promise<HistoryAddresses> {
  progress(`api: self-payment chains of ${SHORT} and ${LONG} transactions`);
  const short = await selfPayments(node, spare[0], 0x31, SHORT, mine);
  const long = await selfPayments(node, spare[1], 0x32, LONG, mine);
  for (const [address, length] of [
    [short, SHORT],
    [long, LONG],
  ] as const) {
    const view = await getJson<{ total: number; utxos: unknown[] }>(`${node.url}/api/v1/address/${address}`);
    if (view.total !== length || view.utxos.length !== 1)
      throw new Error(`${address}: total ${view.total}, ${view.utxos.length} utxos`);
  }
  return { short, long };
}

/** The long-history address against the short one, with `pending` transactions in the mempool. */
export async function addressGetRows(
  node: NodeProcess,
  addresses: HistoryAddresses,
  pending: number,
): Promise<Row[]> {
  progress(`api: GET /api/v1/address/:address, ${pending} pending transactions`);
  // The two take turns, so that both meet the same load from whatever else runs on the machine.
  const best = (a: HttpLoadResult | undefined, b: HttpLoadResult) => (a && a.rate >= b.rate ? a : b);
  let short: HttpLoadResult | undefined;
  let long: HttpLoadResult | undefined;
  for (let turn = 0; turn < TURNS; turn++) {
    short = best(short, await leanGets(node, [`/api/v1/address/${addresses.short}`], 1));
    long = best(long, await leanGets(node, [`/api/v1/address/${addresses.long}`], 1));
  }
  if (!short || !long) throw new Error('no address load ran');
  return [
    {
      name: `GET /api/v1/address/:address, ${formatNumber(LONG)} history entries, ${formatNumber(pending)} pending txs`,
      value: long.rate,
      unit: 'req/s',
      baseline: `${formatNumber(short.rate)} req/s (${SHORT} history entries)`,
      ratio: long.rate / short.rate,
      goal: '≥ 0.8x (cost independent of history length)',
      met: long.rate / short.rate >= 0.8,
      note: `both answers: the first page of 50 entries and 1 unspent output; ${leanNote(long)}; ${SHORT} entries: node ${short.serverCores.toFixed(
        2,
      )} cores, ${formatNumber(short.rate / short.serverCores)} req per node CPU-second`,
    },
  ];
}
