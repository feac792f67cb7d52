// A chain of data records, then one changed byte: verification names the block and the rule it breaks.
// Run: npm run build && node examples/tamper.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addressFromPublicKey,
  assembleBlock,
  buildTransaction,
  COIN,
  decodeBlock,
  encodeBlock,
  generateKeyPair,
  openChain,
  publicKeyHash,
  solveBlock,
  txidHex,
  verifyStoredChain,
} from 'hashline';

const RECORDS = [
  { author: 'alice', data: 'Alice lent Bob 5 coffees' },
  { author: 'bob', data: 'Bob repaid 2 coffees' },
  { author: 'carol', data: 'Carol joined the ledger' },
  { author: 'dave', data: 'Dave audited the ledger' },
];

const dir = mkdtempSync(join(tmpdir(), 'hashline-tamper-'));
const chain = await openChain(dir, 'regtest');
try {
  const { params } = chain;
  const key = generateKeyPair();
  const address = addressFromPublicKey(params.addressPrefix, key.publicKey);

  /** Mines the next block with these transactions on top of the tip, and connects it. */
  async function mineNext(txs) {
    const ctx = chain.nextContext();
    const template = assembleBlock({
      params,
      height: ctx.height,
      prevHash: ctx.prevHash,
      bits: ctx.expectedBits,
      time: Math.max(Math.floor(Date.now() / 1000), ctx.medianTimePast + 1),
      minerAddress: publicKeyHash(key.publicKey),
      txs,
    });
    const block = solveBlock(template);
    const result = await chain.processBlock(block);
    if (result.status !== 'connected') throw new Error(`block not connected: ${result.error?.message}`);
    return block;
  }

  // Block 1 earns a reward to spend; each later block carries one record in a transaction that spends
  // the previous block's reward (1 coin to ourselves, the rest back as change).
  let reward = await mineNext([]);
  console.log(`block 1  ${chain.tip.hashHex}  (reward only)`);
  for (const record of RECORDS) {
    const text = JSON.stringify({ ...record, timestamp: Math.floor(Date.now() / 1000) });
    const coinbase = reward.txs[0];
    const built = buildTransaction({
      params,
      utxos: [{ txid: txidHex(coinbase), index: 0, amount: coinbase.outputs[0].amount, address }],
      payments: [{ address, amount: COIN }],
      feeRate: 1n,
      changeAddress: address,
      data: text,
      keyFor: () => key,
    });
    reward = await mineNext([{ tx: built.tx, fee: built.fee }]);
    console.log(`block ${chain.height}  ${chain.tip.hashHex}  ${text}`);
  }

  const before = await verifyStoredChain(chain.store, params);
  console.log(
    `\nVerify: ${before.ok ? `OK, ${before.height + 1} valid blocks` : `INVALID (${before.code})`}`,
  );

  // Change one byte of block 3's record, as anyone with write access to the disk could.
  const victim = chain.entryAtHeight(3);
  const stored = decodeBlock(await chain.store.blocks.getBlockBytes(victim.hash));
  const record = stored.txs[1];
  const data = Uint8Array.from(record.data);
  const at = new TextDecoder().decode(data).indexOf('2 coffees');
  data[at] = '9'.charCodeAt(0);
  const tampered = { header: stored.header, txs: [stored.txs[0], { ...record, data }] };
  await chain.store.blocks.putBlockBytesUnsafe(victim.hash, encodeBlock(tampered));
  console.log(`Changed one byte of block 3: its record now reads ${new TextDecoder().decode(data)}`);

  const after = await verifyStoredChain(chain.store, params);
  if (after.ok) throw new Error('the change went unnoticed');
  console.log(`Verify: INVALID at block ${after.height}: rule ${after.code} (${after.message})`);
} finally {
  await chain.store.close();
  rmSync(dir, { recursive: true, force: true });
}
