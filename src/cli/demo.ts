// `hashline demo`: the classic tamper demonstration on a real chain in a temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../chain/chain.js';
import { verifyStoredChain } from '../chain/verify.js';
import { type Block, blockHashHex, computeMerkleRoot, decodeBlock, encodeBlock } from '../core/block.js';
import { toHex } from '../core/bytes.js';
import { headerHash } from '../core/header.js';
import { NETWORKS } from '../core/params.js';
import { bitsToTarget, hashMeetsTarget } from '../core/pow.js';
import { publicKeyHash, txid } from '../core/tx.js';
import { addressFromPublicKey } from '../crypto/address.js';
import { generateKeyPair } from '../crypto/ed25519.js';
import { assembleBlock } from '../miner/template.js';
import { ChainStore } from '../store/store.js';
import { signTx } from '../wallet/build-tx.js';

const short = (hex: string) => `${hex.slice(0, 16)}…`;

/** Mines on this thread, counting hashes (dev difficulty: ~65,000 hashes a block). */
function mine(block: Block): { block: Block; hashes: number } {
  const target = bitsToTarget(block.header.bits)!;
  for (let nonce = 0; ; nonce++) {
    const header = { ...block.header, nonce };
    if (hashMeetsTarget(headerHash(header), target))
      return { block: { header, txs: block.txs }, hashes: nonce + 1 };
  }
}

const RECORDS = [
  { author: 'alice', data: 'Genesis of our class ledger' },
  { author: 'bob', data: 'Bob owes Alice 3 coffees' },
  { author: 'carol', data: 'Carol lent Bob a bike' },
  { author: 'dave', data: 'Dave joined the network' },
  { author: 'erin', data: 'Erin audited the ledger' },
];

export async function runDemo(
  log: (line: string) => void = console.log,
): Promise<{ tamperedCode: string; remineFrom: number }> {
  const params = NETWORKS.dev;
  const dir = mkdtempSync(join(tmpdir(), 'hashline-demo-'));
  const store = await ChainStore.open(dir);
  try {
    const chain = await Chain.open({ store, params });
    const key = generateKeyPair();
    const address = publicKeyHash(key.publicKey);
    log(`Building a ${params.name} chain in ${dir}`);
    log(
      `Every block's header hash must be below the target (hashes start with "0000"), found by trying nonces.\n`,
    );
    log(' #  hash               previous hash      nonce   data record');
    const g = chain.genesis;
    log(
      ` 0  ${short(g.hashHex)}  ${short(toHex(g.header.prevHash))}  ${String(g.header.nonce).padStart(6)}  (genesis) ${params.genesis.message}`,
    );
    let prevCoinbase: Block['txs'][number] | undefined;
    const heights: number[] = [];
    for (const [i, record] of RECORDS.entries()) {
      const ctx = chain.nextContext();
      const text = JSON.stringify({ ...record, timestamp: ctx.medianTimePast + i + 1 });
      const txs = [];
      if (prevCoinbase) {
        // Each record rides in a transaction that moves the previous block's reward back to ourselves.
        const amount = prevCoinbase.outputs[0]!.amount;
        const unsigned = {
          version: 1,
          inputs: [
            {
              prevTxid: txid(prevCoinbase),
              prevIndex: 0,
              publicKey: key.publicKey,
              signature: new Uint8Array(64),
            },
          ],
          outputs: [{ amount: amount - 1000n, address }],
          data: new TextEncoder().encode(text),
        };
        txs.push({ tx: signTx(unsigned, [{ amount, keyPair: key }]), fee: 1000n });
      }
      const template = assembleBlock({
        params,
        height: ctx.height,
        prevHash: ctx.prevHash,
        bits: ctx.expectedBits,
        time: Math.max(Math.floor(Date.now() / 1000), ctx.medianTimePast + 1),
        minerAddress: address,
        txs,
        text: prevCoinbase ? undefined : new TextEncoder().encode(text),
      });
      const { block } = mine(template);
      const r = await chain.processBlock(block);
      if (r.status !== 'connected')
        throw new Error(`demo block ${ctx.height} was not accepted: ${r.error?.message}`);
      prevCoinbase = block.txs[0];
      heights.push(ctx.height);
      log(
        ` ${ctx.height}  ${short(r.hash)}  ${short(toHex(block.header.prevHash))}  ${String(block.header.nonce).padStart(6)}  ${text}`,
      );
    }
    const before = await verifyStoredChain(store, params);
    log(`\nVerify: ${before.ok ? `OK, ${before.height + 1} valid blocks` : `INVALID (${before.code})`}`);

    // Tamper with block 2's data record, as someone with write access to the disk could.
    const victim = 2;
    const hash = (await store.getHashAtHeight(victim))!;
    const original = decodeBlock((await store.getBlockBytes(hash))!);
    const oldText = new TextDecoder().decode(original.txs[1]!.data);
    const newText = JSON.stringify({ ...JSON.parse(oldText), data: 'Alice owes Bob 300 coffees' });
    const txs = original.txs.map((tx, i) =>
      i === 1 ? { ...tx, data: new TextEncoder().encode(newText) } : tx,
    );
    const tampered: Block = { header: original.header, txs };
    await store.putBlockBytesUnsafe(hash, encodeBlock(tampered));
    log(`\nTampering with block ${victim}: its record now reads ${newText}`);
    const after = await verifyStoredChain(store, params);
    if (after.ok) throw new Error('tampering went unnoticed: this is a bug');
    log(`Verify: INVALID at block ${after.height}: rule ${after.code} (${after.message})`);

    // What would it take to make the lie stick?
    const fixedRoot: Block = { header: { ...original.header, merkleRoot: computeMerkleRoot(txs) }, txs };
    const fixedHash = blockHashHex(fixedRoot);
    const target = bitsToTarget(original.header.bits)!;
    const stillValid = hashMeetsTarget(headerHash(fixedRoot.header), target);
    log(
      `\nFixing the Merkle root changes block ${victim}'s hash to ${short(fixedHash)}: ${stillValid ? 'by luck still below the target' : 'above the target (rule bad-pow)'}.`,
    );
    const remined = mine({ header: { ...fixedRoot.header, nonce: 0 }, txs });
    log(
      `Re-mining block ${victim} took ${remined.hashes.toLocaleString('en-US')} hashes: new hash ${short(blockHashHex(remined.block))}.`,
    );
    const next = chain.entryAtHeight(victim + 1)!;
    log(
      `But block ${victim + 1} still names ${short(toHex(next.header.prevHash))} as its parent (rule bad-prev-block), so blocks ${victim + 1}..${chain.height} must be re-mined too,`,
    );
    log(
      `all while honest nodes keep adding blocks to the real chain. That is why a proof-of-work chain resists tampering.`,
    );
    log(`\nThe miner's address in this demo: ${addressFromPublicKey(params.addressPrefix, key.publicKey)}`);
    return { tamperedCode: after.code, remineFrom: victim };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
