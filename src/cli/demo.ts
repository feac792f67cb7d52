// `hashline demo`: the classic tamper demonstration on real chains in a temporary directory. One copy of
// a chain detects a changed record but cannot repair it; three copies do, by consensus.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../chain/chain.js';
import type { VerifyOutcome } from '../chain/verify.js';
import {
  type Block,
  blockHashHex,
  commitSignatures,
  computeMerkleRoot,
  decodeBlock,
  encodeBlock,
} from '../core/block.js';
import { toHex } from '../core/bytes.js';
import { headerHash } from '../core/header.js';
import { NETWORKS, type NetworkParams } from '../core/params.js';
import { bitsToTarget, hashMeetsTarget, workForBits } from '../core/pow.js';
import { publicKeyHash, type Tx, txid } from '../core/tx.js';
import { addressFromPublicKey } from '../crypto/address.js';
import { generateKeyPair, type KeyPair } from '../crypto/ed25519.js';
import { assembleBlock } from '../miner/template.js';
import { openStore, verifyStoredChainOnDisk } from '../node/level-store.js';
import type { ChainStore } from '../store/store.js';
import { signTx } from '../wallet/build-tx.js';

type Log = (line: string) => void;

const short = (hex: string) => `${hex.slice(0, 16)}…`;
const count = (n: bigint | number) => n.toLocaleString('en-US');

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
  { author: 'alice', data: 'Our class ledger opens' },
  { author: 'bob', data: 'Bob owes Alice 3 coffees' },
  { author: 'carol', data: 'Carol lent Bob a bike' },
  { author: 'dave', data: 'Dave joined the network' },
  { author: 'erin', data: 'Erin audited the ledger' },
];

/** One node's copy of the chain: its own store in its own directory. */
interface Copy {
  readonly name: string;
  store: ChainStore;
  chain: Chain;
}

async function openCopy(root: string, name: string, params: NetworkParams): Promise<Copy> {
  const store = await openStore(join(root, name.replace(' ', '')));
  return { name, store, chain: await Chain.open({ store, params }) };
}

/** The transaction carrying a record: it moves the previous block's reward back to ourselves. */
function recordTx(prevCoinbase: Tx, key: KeyPair, text: string): { tx: Tx; fee: bigint } {
  const amount = prevCoinbase.outputs[0]!.amount;
  const unsigned: Tx = {
    version: 1,
    inputs: [
      { prevTxid: txid(prevCoinbase), prevIndex: 0, publicKey: key.publicKey, signature: new Uint8Array(64) },
    ],
    outputs: [{ amount: amount - 1000n, address: publicKeyHash(key.publicKey) }],
    data: new TextEncoder().encode(text),
  };
  return { tx: signTx(unsigned, [{ amount, keyPair: key }]), fee: 1000n };
}

/** Mines one block per record onto the copy's chain, printing the chain as it grows. */
async function buildChain({ chain }: Copy, key: KeyPair, log: Log): Promise<void> {
  const { params } = chain;
  log(' #  hash               previous hash      nonce   data record');
  const g = chain.genesis;
  log(
    ` 0  ${short(g.hashHex)}  ${short(toHex(g.header.prevHash))}  ${String(g.header.nonce).padStart(6)}  (genesis) ${params.genesis.message}`,
  );
  let prevCoinbase: Tx | undefined;
  for (const record of RECORDS) {
    const ctx = chain.nextContext();
    const time = Math.max(Math.floor(Date.now() / 1000), ctx.medianTimePast + 1);
    // The first record rides in the coinbase, whose free text holds 56 bytes: no timestamp there (the
    // block's own time says when).
    const text = JSON.stringify(prevCoinbase ? { ...record, timestamp: time } : record);
    const template = assembleBlock({
      params,
      height: ctx.height,
      prevHash: ctx.prevHash,
      bits: ctx.expectedBits,
      time,
      minerAddress: publicKeyHash(key.publicKey),
      txs: prevCoinbase ? [recordTx(prevCoinbase, key, text)] : [],
      text: prevCoinbase ? undefined : new TextEncoder().encode(text),
    });
    const { block } = mine(template);
    const r = await chain.processBlock(block);
    if (r.status !== 'connected')
      throw new Error(`demo block ${ctx.height} was not accepted: ${r.error?.message}`);
    prevCoinbase = block.txs[0];
    log(
      ` ${ctx.height}  ${short(r.hash)}  ${short(toHex(block.header.prevHash))}  ${String(block.header.nonce).padStart(6)}  ${text}`,
    );
  }
}

/** Gives `to` every block of `from`'s active chain, as a node downloading from a peer: each is validated. */
async function download(from: Copy, to: Copy): Promise<void> {
  for (let height = to.chain.height + 1; height <= from.chain.height; height++) {
    const entry = from.chain.entryAtHeight(height)!;
    const r = await to.chain.processBlock((await from.store.blocks.getBlockBytes(entry.hash))!);
    if (r.status !== 'connected') throw new Error(`${to.name} refused block ${height}: ${r.error?.message}`);
  }
}

/** Rewrites the record in block `victim` on disk, as someone with write access to the files could. */
async function tamper(copy: Copy, victim: number): Promise<{ original: Block; txs: Tx[]; text: string }> {
  const hash = copy.chain.entryAtHeight(victim)!.hash;
  const original = decodeBlock((await copy.store.blocks.getBlockBytes(hash))!);
  const oldText = new TextDecoder().decode(original.txs[1]!.data);
  const text = JSON.stringify({ ...JSON.parse(oldText), data: 'Alice owes Bob 300 coffees' });
  const txs = original.txs.map((tx, i) => (i === 1 ? { ...tx, data: new TextEncoder().encode(text) } : tx));
  await copy.store.blocks.putBlockBytesUnsafe(hash, encodeBlock({ header: original.header, txs }));
  return { original, txs, text };
}

/**
 * What making the lie stick would cost: the changed block, with a fixed Merkle root, must be re-mined,
 * and so must every block after it, since each names its parent's hash. Returns the total expected hashes.
 */
function logRemineCost(chain: Chain, victim: number, original: Block, txs: Tx[], log: Log): bigint {
  // The coinbase's signature root changes with the record too (it covers every wtxid).
  const body = commitSignatures({ header: original.header, txs }).txs;
  const fixedRoot: Block = { header: { ...original.header, merkleRoot: computeMerkleRoot(body) }, txs: body };
  const stillValid = hashMeetsTarget(headerHash(fixedRoot.header), bitsToTarget(original.header.bits)!);
  log(
    `\nFixing the Merkle root changes block ${victim}'s hash to ${short(blockHashHex(fixedRoot))}: ${stillValid ? 'by luck still below the target' : 'above the target (rule bad-pow)'}.`,
  );
  const remined = mine({ header: { ...fixedRoot.header, nonce: 0 }, txs: body });
  log(
    `Re-mining block ${victim} took ${count(remined.hashes)} hashes: new hash ${short(blockHashHex(remined.block))}.`,
  );
  const next = chain.entryAtHeight(victim + 1);
  if (next) {
    log(
      `But block ${victim + 1} still names ${short(toHex(next.header.prevHash))} as its parent (rule bad-prev-block): every block after it must be re-mined too.`,
    );
  }
  log(`\nRe-mining cost from block ${victim} to the tip (expected hashes = 2^256 / (target + 1)):`);
  let total = 0n;
  for (let height = victim; height <= chain.height; height++) {
    const entry = chain.entryAtHeight(height)!;
    const expected = workForBits(entry.bits);
    total += expected;
    log(
      `  block ${height}  target ${bitsToTarget(entry.bits)!.toString(16).padStart(64, '0').slice(0, 16)}…  expected hashes ${count(expected)}`,
    );
  }
  log(`  total for ${chain.height - victim + 1} blocks: ${count(total)} expected hashes`);
  log(
    'And honest nodes keep adding blocks to the real chain meanwhile: that is why a proof-of-work chain resists tampering.',
  );
  return total;
}

/** Valid blocks and their work, as verification of a copy found them. */
function standing(copy: Copy, outcome: VerifyOutcome): { validBlocks: number; work: bigint } {
  const validBlocks = outcome.ok ? outcome.height + 1 : outcome.height;
  return { validBlocks, work: validBlocks > 0 ? copy.chain.entryAtHeight(validBlocks - 1)!.chainWork : 0n };
}

/**
 * Every copy is verified; the valid copies with the most work win (more copies agreeing break a tie),
 * and every other copy is thrown away and downloaded again from a winner.
 */
async function consensus(copies: Copy[], params: NetworkParams, root: string, log: Log): Promise<string[]> {
  const results = [];
  log('\n copy    verify                                  valid blocks  work (expected hashes)  tip');
  for (const copy of copies) {
    const outcome = await verifyStoredChainOnDisk(copy.store, params);
    const { validBlocks, work } = standing(copy, outcome);
    const verdict = outcome.ok ? 'OK' : `INVALID at block ${outcome.height} (${outcome.code})`;
    const tip = outcome.ok ? outcome.tip : '(discarded from the bad block on)';
    log(
      ` ${copy.name}  ${verdict.padEnd(38)}  ${String(validBlocks).padStart(12)}  ${count(work).padStart(22)}  ${outcome.ok ? short(tip) : tip}`,
    );
    results.push({ copy, ok: outcome.ok, tip, work });
  }
  const valid = results.filter((r) => r.ok);
  if (valid.length === 0) throw new Error('no valid copy is left to repair the others from');
  const agreeing = (tip: string) => valid.filter((r) => r.tip === tip).length;
  const best = valid.reduce((a, b) =>
    b.work > a.work || (b.work === a.work && agreeing(b.tip) > agreeing(a.tip)) ? b : a,
  );
  log(
    `\nConsensus: ${agreeing(best.tip)} of ${copies.length} copies hold the valid chain with the most work, tip ${short(best.tip)}.`,
  );
  for (const r of results.filter((x) => x.tip !== best.tip)) {
    log(`${r.copy.name} discards its copy and downloads ${best.copy.name}'s, checking every block again.`);
    await r.copy.store.close();
    rmSync(join(root, r.copy.name.replace(' ', '')), { recursive: true, force: true });
    Object.assign(r.copy, await openCopy(root, r.copy.name, params));
    await download(best.copy, r.copy);
  }
  const tips: string[] = [];
  for (const copy of copies) {
    const outcome = await verifyStoredChainOnDisk(copy.store, params);
    const verdict = outcome.ok ? `OK, ${outcome.height + 1} valid blocks` : `INVALID (${outcome.code})`;
    log(`${copy.name}: Verify: ${verdict}, tip ${outcome.ok ? outcome.tip : '-'}`);
    tips.push(outcome.ok ? outcome.tip : '');
  }
  return tips;
}

export interface DemoOutcome {
  readonly tamperedCode: string;
  readonly remineFrom: number;
  /** Expected hashes to re-mine every block from the changed one to the tip. */
  readonly remineHashes: bigint;
  /** Each copy's tip after consensus repaired the tampered one. */
  readonly tips: readonly string[];
}

export async function runDemo(log: Log = console.log): Promise<DemoOutcome> {
  const params = NETWORKS.dev;
  const root = mkdtempSync(join(tmpdir(), 'hashline-demo-'));
  const copies: Copy[] = [];
  try {
    for (const name of ['node 1', 'node 2', 'node 3']) copies.push(await openCopy(root, name, params));
    const [lone] = copies as [Copy, Copy, Copy];
    const key = generateKeyPair();
    log(`Building a ${params.name} chain in ${root}`);
    log(
      `Every block's header hash must be below the target (hashes start with "0000"), found by trying nonces.\n`,
    );
    await buildChain(lone, key, log);
    const before = await verifyStoredChainOnDisk(lone.store, params);
    log(`\nVerify: ${before.ok ? `OK, ${before.height + 1} valid blocks` : `INVALID (${before.code})`}`);
    // Two more nodes download the chain now, before the change; each checks every block it receives.
    await download(lone, copies[1]!);
    await download(lone, copies[2]!);
    log(`${copies[1]!.name} and ${copies[2]!.name} download these blocks from ${lone.name}, checking each.`);

    const victim = 2;
    const { original, txs, text } = await tamper(lone, victim);
    log(`\nTampering with block ${victim}: its record now reads ${text}`);
    const after = await verifyStoredChainOnDisk(lone.store, params);
    if (after.ok) throw new Error('tampering went unnoticed: this is a bug');
    log(`Verify: INVALID at block ${after.height}: rule ${after.code} (${after.message})`);
    log(
      `A lone copy stops here: it knows block ${after.height} is not what was mined, but the original record is gone, so it cannot repair it.`,
    );
    const remineHashes = logRemineCost(lone.chain, victim, original, txs, log);

    log(`\nBut this chain has three copies: ${copies.map((c) => c.name).join(', ')}. Each is verified:`);
    const tips = await consensus(copies, params, root, log);
    const repaired = decodeBlock(
      (await lone.store.blocks.getBlockBytes(lone.chain.entryAtHeight(victim)!.hash))!,
    );
    log(`${lone.name}'s block ${victim} reads again: ${new TextDecoder().decode(repaired.txs[1]!.data)}`);
    log(`\nThe miner's address in this demo: ${addressFromPublicKey(params.addressPrefix, key.publicKey)}`);
    return { tamperedCode: after.code, remineFrom: victim, remineHashes, tips };
  } finally {
    for (const copy of copies) await copy.store.close().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  }
}
