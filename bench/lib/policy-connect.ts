// The cost of a policy spend per signature check: blocks of 2-of-3 multi spends against blocks of
// single-key spends, both through the consensus path a block takes (decode, checkBlockSanity,
// connectBlock, then every signature with the node's verifier), in interleaved rounds. Each kind's
// rate is signature checks per second; the goal is multi ≥ 0.9x key per signature.
import {
  type Block,
  type Coin,
  checkBlockSanity,
  commitSignatures,
  computeMerkleRoot,
  concatBytes,
  connectBlock,
  createCoinbase,
  decodeBlock,
  encodeBlock,
  encodePolicy,
  NETWORKS,
  outpointKey,
  policyHash,
  publicKeyHash,
  SEQUENCE_FINAL,
  sha256,
  sighash,
  TX_VERSION,
  TX_VERSION_2,
  type Tx,
  txid,
} from '../../src/core/index.js';
import { keyPairFromPrivate, sign } from '../../src/crypto/ed25519.js';
import { verifyNode } from '../../src/crypto/ed25519-node.js';
import { formatNumber, type Row } from './report.js';

const params = NETWORKS.regtest;
const BLOCKS = 10;
const TXS_PER_BLOCK = 100;
const ROUNDS = 5;
const AMOUNT = 1_000_000n;

const key = (label: string) => keyPairFromPrivate(sha256(new TextEncoder().encode(label)));
const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

interface Prepared {
  readonly blocks: Uint8Array[];
  readonly coins: Map<string, Coin>;
  readonly sigChecks: number;
}

/** `BLOCKS` blocks of `TXS_PER_BLOCK` one-input spends of made-up coins (the view holds them). */
function prepare(kind: 'key' | 'multi'): Prepared {
  const [a, b, c] = ['bench a', 'bench b', 'bench c'].map(key);
  const policy = encodePolicy({ type: 'multi', k: 2, keys: [a!.publicKey, b!.publicKey, c!.publicKey] });
  const address = kind === 'key' ? publicKeyHash(a!.publicKey) : policyHash(policy);
  const coins = new Map<string, Coin>();
  const blocks: Uint8Array[] = [];
  let n = 0;
  for (let height = 1; height <= BLOCKS; height++) {
    const txs: Tx[] = [];
    for (let i = 0; i < TXS_PER_BLOCK; i++) {
      const prevTxid = sha256(u32(n++));
      coins.set(outpointKey(prevTxid, 0), { amount: AMOUNT, address, height: 0, coinbase: false });
      const outputs = [{ amount: AMOUNT - 1000n, address: publicKeyHash(c!.publicKey) }];
      const data = new Uint8Array();
      if (kind === 'key') {
        const unsigned: Tx = {
          version: TX_VERSION,
          inputs: [{ prevTxid, prevIndex: 0, publicKey: a!.publicKey, signature: new Uint8Array(64) }],
          outputs,
          data,
        };
        const signature = sign(sighash(txid(unsigned), [AMOUNT]), a!.privateKey);
        txs.push({ ...unsigned, inputs: [{ ...unsigned.inputs[0]!, signature }] });
      } else {
        const input = {
          prevTxid,
          prevIndex: 0,
          sequence: SEQUENCE_FINAL,
          publicKey: new Uint8Array(),
          signature: new Uint8Array(),
          policy,
        };
        const unsigned: Tx = { version: TX_VERSION_2, inputs: [input], outputs, data, lockTime: 0 };
        const message = sighash(txid(unsigned), [AMOUNT]);
        const witness = concatBytes(u32(0b101), sign(message, a!.privateKey), sign(message, c!.privateKey));
        txs.push({ ...unsigned, inputs: [{ ...input, witness }] });
      }
    }
    const coinbase = createCoinbase({
      height,
      outputs: [{ amount: 0n, address: publicKeyHash(a!.publicKey) }],
      txs,
    });
    const block: Block = commitSignatures({
      header: {
        version: 1,
        prevHash: new Uint8Array(32),
        merkleRoot: new Uint8Array(32),
        time: params.genesis.time + height,
        bits: params.powLimitBits,
        nonce: 0,
      },
      txs: [coinbase, ...txs],
    });
    blocks.push(
      encodeBlock({ ...block, header: { ...block.header, merkleRoot: computeMerkleRoot(block.txs) } }),
    );
  }
  return { blocks, coins, sigChecks: BLOCKS * TXS_PER_BLOCK * (kind === 'key' ? 1 : 2) };
}

/** Seconds to take every block through decode, sanity (proof of work aside), connect and verify. */
function connectAll(p: Prepared): number {
  const view = { get: (k: string) => p.coins.get(k) };
  const start = performance.now();
  for (let h = 0; h < p.blocks.length; h++) {
    const bytes = p.blocks[h]!;
    const block = decodeBlock(bytes);
    // The headers are not mined: sanity is run for its transaction rules, its verdict on the
    // proof of work ignored (the same for both kinds).
    const sanity = checkBlockSanity(block, params, Number.MAX_SAFE_INTEGER, bytes.length);
    if (!sanity.ok && sanity.error.code !== 'bad-pow') throw sanity.error;
    const connected = connectBlock(block, block.txs.map(txid), h + 1, view, params);
    if (!connected.ok) throw connected.error;
    for (const c of connected.value.sigChecks) {
      if (!verifyNode(c.publicKey, c.message, c.signature)) throw new Error('a signature failed');
    }
  }
  return (performance.now() - start) / 1000;
}

export function policyConnectRows(): Row[] {
  const key = prepare('key');
  const multi = prepare('multi');
  let bestKey = 0;
  let bestMulti = 0;
  for (let round = 0; round < ROUNDS; round++) {
    bestKey = Math.max(bestKey, key.sigChecks / connectAll(key));
    bestMulti = Math.max(bestMulti, multi.sigChecks / connectAll(multi));
  }
  const ratio = bestMulti / bestKey;
  return [
    {
      name: `connect 2-of-3 multi spends (${BLOCKS} blocks × ${TXS_PER_BLOCK} tx, 2 signatures each), per signature check`,
      value: bestMulti,
      unit: 'sigchecks/s',
      baseline: `${formatNumber(bestKey)} sigchecks/s (single-key spends, the same blocks' shape, this run)`,
      ratio,
      goal: '≥ 0.9x',
      met: ratio >= 0.9,
      note: `best of ${ROUNDS} interleaved rounds; decode, sanity, connect and verifyNode on the main thread`,
    },
  ];
}
