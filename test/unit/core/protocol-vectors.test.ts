// docs/protocol.md is the specification; this test reads it and checks its vectors and tables against
// the code, so the document cannot drift from what the node does.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ByteReader,
  ByteWriter,
  bitsToTarget,
  blockHashHex,
  blockSubsidy,
  COIN,
  COINBASE_DATA_MAX,
  COINBASE_DATA_MIN,
  checkBlockSanity,
  checkHeaderContext,
  checkTxInputs,
  checkTxSanity,
  decodeBlock,
  decodeCoinbaseData,
  decodePolicy,
  decodeTx,
  encodeBlock,
  encodeHeader,
  encodePolicy,
  encodeTx,
  fromHex,
  genesisBlock,
  hashMeetsTarget,
  headerHash,
  isFinalTx,
  isRetargetHeight,
  LOCKTIME_THRESHOLD,
  MAX_BLOCK_SIGCHECKS,
  MAX_BLOCK_SIZE,
  MAX_DATA_SIZE,
  MAX_FUTURE_SECONDS,
  MAX_MONEY,
  MAX_POLICY_DEPTH,
  MAX_POLICY_SIZE,
  MAX_TIMEWARP_SECONDS,
  MAX_TX_SIGCHECKS,
  MAX_TX_SIZE,
  MEDIAN_TIME_SPAN,
  medianTimePast,
  merkleProof,
  merkleRoot,
  NETWORK_ID_PATTERN,
  NETWORKS,
  type NetworkName,
  networkTag,
  networkWithId,
  nextBits,
  outpointKey,
  parsePolicy,
  policyHash,
  policyText,
  publicKeyHash,
  RULE_CODES,
  RuleError,
  retargetWindowStart,
  sha256,
  sha256d,
  sighash,
  signatureRoot,
  type Tx,
  targetToBits,
  toHex,
  txid,
  txidHex,
  verifyMerkleProof,
  workForBits,
  wtxid,
} from '../../../src/core/index.js';
import { decodeAddress, encodeAddress } from '../../../src/crypto/address.js';
import { keyPairFromPrivate, sign, verify } from '../../../src/crypto/ed25519.js';
import { signNode, verifyNode } from '../../../src/crypto/ed25519-node.js';
import { protocolIds } from '../../../src/p2p/protocol.js';
import { buildPolicySpendVectors } from '../../support/policy-spend-vectors.js';
import { codeOf } from './helpers.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

/** The text of a `## heading` section, up to the next `## `. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/protocol.md has no "## ${heading}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** Rows of the first Markdown table in a section, as trimmed cells. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-| ]+\|$/.test(l))
    .slice(1)
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
}

const vectors: Record<string, unknown> = {};
for (const match of section('Test vectors').matchAll(/```json\n([\s\S]*?)\n```/g)) {
  Object.assign(vectors, JSON.parse(match[1]!));
}

interface GenesisVector {
  network: NetworkName;
  header: string;
  hash: string;
  coinbaseTxid: string;
  block: string;
}
interface BitsVector {
  bits: string;
  target: string | null;
  normalized: string | null;
  work: string;
}
interface TxVector {
  seed: string;
  publicKey: string;
  recipientSeed: string;
  recipientPublicKey: string;
  spentAmount: string;
  tx: {
    version: number;
    inputs: { prevTxid: string; prevIndex: number }[];
    outputs: { amount: string; address: string }[];
    data: string;
  };
  txidPreimage: string;
  txid: string;
  sighash: string;
  signature: string;
  serialized: string;
  size: number;
  fee: string;
}
interface MerkleVector {
  leaves: string[];
  root: string;
  rootOfFirstTwo: string;
  rootOfFirstThree: string;
  proofs: { index: number; steps: { side: 'left' | 'right'; hash: string }[] }[];
}

const v = vectors as {
  genesis: GenesisVector[];
  varint: { valid: { value: number; hex: string }[]; invalid: string[] };
  compactBits: BitsVector[];
  transaction: TxVector;
  address: { publicKey: string; hash: string; addresses: Record<NetworkName, string> };
  merkle: MerkleVector;
  retarget: {
    network: NetworkName;
    height: number;
    parentBits: string;
    firstTime: number;
    lastTime: number;
    bits: string;
  }[];
  medianTimePast: { times: number[]; median: number }[];
  subsidy: { network: NetworkName; height: number; subsidy: string }[];
  signatureRoot: { txs: string[]; wtxids: string[]; root: string }[];
  retargetWindows: { network: NetworkName; height: number; retarget: boolean; windowStart?: number }[];
  networkIds: {
    valid: {
      network: NetworkName;
      id: string;
      tag: string;
      genesisMessage: string;
      genesisNonce: number;
      genesisHash: string;
      statusProtocol: string;
      blocksTopic: string;
    }[];
    invalid: string[];
  };
  timeWarp: { network: NetworkName; height: number; parentTime: number; time: number; code: string | null }[];
  policySpends: { seeds: Record<'a' | 'b' | 'c', string>; spends: PolicySpendVector[] };
};

interface PolicySpendVector {
  name: string;
  policyText: string;
  policy: string;
  policyHash: string;
  address: string;
  prevTxid: string;
  prevIndex: number;
  spentAmount: string;
  sequence: number;
  lockTime: number;
  output: { amount: string; address: string };
  txid: string;
  sighash: string;
  witness: string;
  serialized: string;
  wtxid: string;
}

const bitsHex = (bits: number) => `0x${bits.toString(16).padStart(8, '0')}`;

describe('docs/protocol.md test vectors', () => {
  it('has every vector set', () => {
    expect(Object.keys(vectors).sort()).toEqual(
      [
        'address',
        'compactBits',
        'genesis',
        'medianTimePast',
        'merkle',
        'networkIds',
        'policies',
        'policySpends',
        'retarget',
        'retargetWindows',
        'signatureRoot',
        'subsidy',
        'timeWarp',
        'transaction',
        'varint',
      ].sort(),
    );
  });

  it('genesis blocks: header, hash, coinbase txid and bytes of every network', () => {
    expect(v.genesis.map((g) => g.network).sort()).toEqual(Object.keys(NETWORKS).sort());
    for (const g of v.genesis) {
      const params = NETWORKS[g.network];
      const block = genesisBlock(params);
      expect(toHex(encodeHeader(block.header))).toBe(g.header);
      expect(blockHashHex(block)).toBe(g.hash);
      expect(toHex(sha256d(fromHex(g.header)))).toBe(g.hash);
      expect(txidHex(block.txs[0]!)).toBe(g.coinbaseTxid);
      expect(toHex(encodeBlock(block))).toBe(g.block);
      expect(decodeBlock(fromHex(g.block))).toEqual(block);
      expect(hashMeetsTarget(headerHash(block.header), params.powLimit)).toBe(true);
      expect(checkBlockSanity(block, params, params.genesis.time).ok).toBe(true);
      // The coinbase commits to the (no) other transactions' signatures: 32 zero bytes.
      expect(toHex(decodeCoinbaseData(block.txs[0]!.data).sigRoot)).toBe('00'.repeat(32));
    }
  });

  it('signature roots over wtxids, the coinbase leaf zero', () => {
    expect(v.signatureRoot.length).toBeGreaterThanOrEqual(3);
    for (const c of v.signatureRoot) {
      const txs = c.txs.map((hex) => decodeTx(fromHex(hex)));
      expect(txs.map((tx) => toHex(wtxid(tx)))).toEqual(c.wtxids);
      expect(c.txs.map((hex) => toHex(sha256d(fromHex(hex))))).toEqual(c.wtxids);
      expect(toHex(signatureRoot(txs))).toBe(c.root);
      expect(toHex(merkleRoot([new Uint8Array(32), ...c.wtxids.map(fromHex)]))).toBe(c.root);
    }
    // Two vectors hold one transaction with other signatures: same txid, other root.
    const [, one, other] = v.signatureRoot;
    expect(txidHex(decodeTx(fromHex(one!.txs[0]!)))).toBe(txidHex(decodeTx(fromHex(other!.txs[0]!))));
    expect(one!.root).not.toBe(other!.root);
  });

  it('time warp: at a retarget height at most 600 s before the parent', () => {
    for (const w of v.timeWarp) {
      const params = NETWORKS[w.network];
      const header = { ...genesisBlock(params).header, time: w.time };
      const ctx = {
        height: w.height,
        expectedBits: header.bits,
        medianTimePast: 0,
        ...(isRetargetHeight(params, w.height) ? { retargetParentTime: w.parentTime } : {}),
      };
      expect(checkHeaderContext(header, ctx)?.code ?? null, JSON.stringify(w)).toBe(w.code);
    }
    expect(MAX_TIMEWARP_SECONDS).toBe(600);
  });

  it('varints: canonical encodings and rejected byte strings', () => {
    for (const { value, hex } of v.varint.valid) {
      expect(toHex(new ByteWriter().varint(value).finish())).toBe(hex);
      const r = new ByteReader(fromHex(hex));
      expect(r.varint()).toBe(value);
      r.end();
    }
    for (const hex of v.varint.invalid) {
      expect(codeOf(() => new ByteReader(fromHex(hex)).varint())).toBe('bad-encoding');
    }
  });

  it('compact bits: target, normalized bits and work', () => {
    for (const b of v.compactBits) {
      const target = bitsToTarget(Number(b.bits));
      expect(target === null ? null : target.toString(16).padStart(64, '0')).toBe(b.target);
      if (target !== null) expect(bitsHex(targetToBits(target))).toBe(b.normalized);
      expect(workForBits(Number(b.bits)).toString()).toBe(b.work);
    }
  });

  it('a signed transaction: serialization, txid, sighash and signature', () => {
    const t = v.transaction;
    const key = keyPairFromPrivate(fromHex(t.seed));
    const recipient = keyPairFromPrivate(fromHex(t.recipientSeed));
    expect(toHex(key.publicKey)).toBe(t.publicKey);
    expect(toHex(recipient.publicKey)).toBe(t.recipientPublicKey);

    const tx: Tx = {
      version: t.tx.version,
      inputs: t.tx.inputs.map((i) => ({
        prevTxid: fromHex(i.prevTxid),
        prevIndex: i.prevIndex,
        publicKey: key.publicKey,
        signature: fromHex(t.signature),
      })),
      outputs: t.tx.outputs.map((o) => ({ amount: BigInt(o.amount), address: fromHex(o.address) })),
      data: fromHex(t.tx.data),
    };
    expect(toHex(tx.outputs[0]!.address)).toBe(toHex(publicKeyHash(recipient.publicKey)));
    expect(toHex(tx.outputs[1]!.address)).toBe(toHex(publicKeyHash(key.publicKey)));

    expect(toHex(encodeTx(tx))).toBe(t.serialized);
    expect(encodeTx(tx).length).toBe(t.size);
    expect(decodeTx(fromHex(t.serialized))).toEqual(tx);
    expect(toHex(sha256d(fromHex(t.txidPreimage)))).toBe(t.txid);
    expect(toHex(txid(tx))).toBe(t.txid);
    // The preimage is the serialization with the 64-byte signature cut out.
    expect(t.serialized.replace(t.signature, '')).toBe(t.txidPreimage);

    const spent = BigInt(t.spentAmount);
    const message = sighash(txid(tx), [spent]);
    expect(toHex(message)).toBe(t.sighash);
    expect(toHex(sign(message, key.privateKey))).toBe(t.signature);
    expect(toHex(signNode(message, key.privateKey))).toBe(t.signature);
    expect(verify(key.publicKey, message, fromHex(t.signature))).toBe(true);
    expect(verifyNode(key.publicKey, message, fromHex(t.signature))).toBe(true);

    expect(checkTxSanity(tx)).toBeUndefined();
    const coin = { amount: spent, address: publicKeyHash(key.publicKey), height: 1, coinbase: false };
    const view = { get: (k: string) => (k === outpointKey(tx.inputs[0]!.prevTxid, 1) ? coin : undefined) };
    const result = checkTxInputs(tx, view, 2, NETWORKS.main);
    if (!result.ok) throw result.error;
    expect(result.value.fee.toString()).toBe(t.fee);
    expect(toHex(result.value.sigChecks[0]!.message)).toBe(t.sighash);
  });

  it('an address on every network', () => {
    const a = v.address;
    const hash = publicKeyHash(fromHex(a.publicKey));
    expect(toHex(hash)).toBe(a.hash);
    expect(Object.keys(a.addresses).sort()).toEqual(Object.keys(NETWORKS).sort());
    for (const [name, address] of Object.entries(a.addresses)) {
      const prefix = NETWORKS[name as NetworkName].addressPrefix;
      expect(encodeAddress(prefix, hash)).toBe(address);
      expect(toHex(decodeAddress(prefix, address))).toBe(a.hash);
    }
  });

  it('Merkle roots and a proof for every leaf', () => {
    const m = v.merkle;
    const leaves = m.leaves.map((_, i) => sha256d(new TextEncoder().encode(`leaf ${i}`)));
    expect(leaves.map(toHex)).toEqual(m.leaves);
    expect(toHex(merkleRoot(leaves))).toBe(m.root);
    expect(toHex(merkleRoot(leaves.slice(0, 2)))).toBe(m.rootOfFirstTwo);
    expect(toHex(merkleRoot(leaves.slice(0, 3)))).toBe(m.rootOfFirstThree);
    expect(m.proofs.map((p) => p.index)).toEqual(leaves.map((_, i) => i));
    for (const p of m.proofs) {
      const steps = merkleProof(leaves, p.index).map((s) => ({ side: s.side, hash: toHex(s.hash) }));
      expect(steps).toEqual(p.steps);
      const parsed = p.steps.map((s) => ({ side: s.side, hash: fromHex(s.hash) }));
      expect(verifyMerkleProof(leaves[p.index]!, parsed, fromHex(m.root))).toBe(true);
    }
  });

  it('difficulty retargets', () => {
    for (const r of v.retarget) {
      const bits = nextBits(NETWORKS[r.network], r.height, Number(r.parentBits), {
        firstTime: r.firstTime,
        lastTime: r.lastTime,
      });
      expect({ ...r, bits: bitsHex(bits) }).toEqual(r);
    }
  });

  it('retarget heights and windows, early and regular', () => {
    for (const w of v.retargetWindows) {
      const params = NETWORKS[w.network];
      expect({ ...w, retarget: isRetargetHeight(params, w.height) }).toEqual(w);
      if (w.retarget) expect(retargetWindowStart(params, w.height)).toBe(w.windowStart);
    }
  });

  it('network ids: tag, genesis and protocol names; invalid ids refused', () => {
    for (const n of v.networkIds.valid) {
      const params = networkWithId(NETWORKS[n.network], n.id);
      const ids = protocolIds(networkTag(params));
      const genesis = genesisBlock(params);
      expect({
        ...n,
        tag: networkTag(params),
        genesisMessage: params.genesis.message,
        genesisNonce: genesis.header.nonce,
        genesisHash: blockHashHex(genesis),
        statusProtocol: ids.status,
        blocksTopic: ids.blocksTopic,
      }).toEqual(n);
      // The nonce is the first that meets powLimit.
      expect(hashMeetsTarget(headerHash(genesis.header), params.powLimit)).toBe(true);
      for (let nonce = 0; nonce < n.genesisNonce; nonce++)
        expect(hashMeetsTarget(headerHash({ ...genesis.header, nonce }), params.powLimit)).toBe(false);
    }
    for (const id of v.networkIds.invalid) {
      expect(NETWORK_ID_PATTERN.test(id), id).toBe(false);
      expect(() => networkWithId(NETWORKS.dev, id)).toThrow(/network id/);
    }
  });

  it('median time past', () => {
    for (const m of v.medianTimePast) expect(medianTimePast(m.times)).toBe(m.median);
  });

  it('subsidy', () => {
    for (const s of v.subsidy) expect(blockSubsidy(NETWORKS[s.network], s.height).toString()).toBe(s.subsidy);
  });

  it('version 2 spends: a 2-of-3 multi, a hashlock and a timelock, byte for byte and on the rules', () => {
    const { seeds, spends } = v.policySpends;
    expect(spends.map((p) => p.name)).toEqual(['multi', 'hashlock', 'timelock']);
    expect(buildPolicySpendVectors()).toEqual(spends);
    const keys = Object.values(seeds).map((seed) => keyPairFromPrivate(fromHex(seed)));
    for (const p of spends) {
      const policy = fromHex(p.policy);
      expect(toHex(encodePolicy(parsePolicy(p.policyText))), p.name).toBe(p.policy);
      expect(policyText(decodePolicy(policy))).toBe(p.policyText);
      expect(toHex(policyHash(policy))).toBe(p.policyHash);
      expect(toHex(decodeAddress('hlrt', p.address))).toBe(p.policyHash);
      const tx = decodeTx(fromHex(p.serialized));
      expect(toHex(encodeTx(tx))).toBe(p.serialized);
      expect(tx.version).toBe(2);
      expect(tx.lockTime).toBe(p.lockTime);
      expect(tx.inputs[0]!.sequence).toBe(p.sequence);
      expect(toHex(tx.inputs[0]!.policy!)).toBe(p.policy);
      expect(toHex(tx.inputs[0]!.witness!)).toBe(p.witness);
      expect(toHex(txid(tx))).toBe(p.txid);
      expect(toHex(wtxid(tx))).toBe(p.wtxid);
      // The txid is sha256d of the serialization without the witness and its length byte(s).
      expect(p.witness.length / 2).toBeLessThan(0xfd); // a one-byte length
      const lengthHex = (p.witness.length / 2).toString(16).padStart(2, '0');
      expect(toHex(sha256d(fromHex(p.serialized.replace(lengthHex + p.witness, ''))))).toBe(p.txid);
      expect(toHex(sighash(txid(tx), [BigInt(p.spentAmount)]))).toBe(p.sighash);
      expect(checkTxSanity(tx)).toBeUndefined();
      const coin = {
        amount: BigInt(p.spentAmount),
        address: fromHex(p.policyHash),
        height: 1,
        coinbase: false,
      };
      const view = {
        get: (key: string) => (key === outpointKey(p.prevTxid, p.prevIndex) ? coin : undefined),
      };
      const inputs = checkTxInputs(tx, view, 1000, NETWORKS.regtest);
      expect(inputs.ok && inputs.value.fee).toBe(10_000n);
      const checks = inputs.ok ? inputs.value.sigChecks : [];
      expect(checks.length).toBe(p.name === 'multi' ? 2 : 1);
      for (const check of checks) {
        expect(toHex(check.message)).toBe(p.sighash);
        expect(keys.some((k) => toHex(k.publicKey) === toHex(check.publicKey))).toBe(true);
        expect(verify(check.publicKey, check.message, check.signature)).toBe(true);
      }
      // Another coin's policy hash: refused.
      const wrong = { get: () => ({ ...coin, address: sha256(policy.subarray(1)) }) };
      expect(
        codeOf(() => {
          const r = checkTxInputs(tx, wrong, 1000, NETWORKS.regtest);
          if (!r.ok) throw r.error;
        }),
      ).toBe('policy-hash-mismatch');
    }
    const timelock = decodeTx(fromHex(spends[2]!.serialized));
    expect(isFinalTx(timelock, 999, 0)).toBe(false);
    expect(isFinalTx(timelock, 1000, 0)).toBe(true);
  });
});

describe('docs/protocol.md tables', () => {
  it('lists every rule code, each once', () => {
    const listed = tableRows(section('Rule codes')).map((row) => row[0]!.replaceAll('`', ''));
    expect([...listed].sort()).toEqual(Object.keys(RULE_CODES).sort());
  });

  it('names exactly the malleated codes', () => {
    const listed = [...section('Malleated failures').matchAll(/^- `([a-z-]+)`/gm)].map((m) => m[1]!);
    const malleated = Object.keys(RULE_CODES).filter(
      (c) => new RuleError(c as keyof typeof RULE_CODES).malleated,
    );
    expect(listed.sort()).toEqual(malleated.sort());
  });

  it('gives the limits their values', () => {
    const constants: Record<string, bigint> = {
      MAX_MONEY: MAX_MONEY,
      MAX_BLOCK_SIZE: BigInt(MAX_BLOCK_SIZE),
      MAX_TX_SIZE: BigInt(MAX_TX_SIZE),
      MAX_DATA_SIZE: BigInt(MAX_DATA_SIZE),
      COINBASE_DATA_MIN: BigInt(COINBASE_DATA_MIN),
      COINBASE_DATA_MAX: BigInt(COINBASE_DATA_MAX),
      MAX_FUTURE_SECONDS: BigInt(MAX_FUTURE_SECONDS),
      MEDIAN_TIME_SPAN: BigInt(MEDIAN_TIME_SPAN),
      MAX_TIMEWARP_SECONDS: BigInt(MAX_TIMEWARP_SECONDS),
      MAX_POLICY_SIZE: BigInt(MAX_POLICY_SIZE),
      MAX_POLICY_DEPTH: BigInt(MAX_POLICY_DEPTH),
      MAX_TX_SIGCHECKS: BigInt(MAX_TX_SIGCHECKS),
      MAX_BLOCK_SIGCHECKS: BigInt(MAX_BLOCK_SIGCHECKS),
      LOCKTIME_THRESHOLD: BigInt(LOCKTIME_THRESHOLD),
    };
    const rows = tableRows(section('Limits'));
    expect(rows.map((r) => r[0]!.replaceAll('`', '')).sort()).toEqual(Object.keys(constants).sort());
    for (const [name, value] of rows) {
      const documented = BigInt(value!.match(/[\d,]+/)![0].replaceAll(',', ''));
      const key = name!.replaceAll('`', '');
      expect(key === 'MAX_MONEY' ? documented * COIN : documented, key).toBe(constants[key]);
    }
  });

  it('gives each network its parameters and genesis hash', () => {
    const rows = new Map(tableRows(section('Networks')).map((r) => [r[0]!, r.slice(1)]));
    const cell = (row: string, i: number) => rows.get(row)![i]!.replaceAll('`', '');
    const num = (row: string, i: number) =>
      Number(
        cell(row, i)
          .match(/^[\d,]+/)![0]
          .replaceAll(',', ''),
      );
    (['main', 'dev', 'regtest'] as const).forEach((name, i) => {
      const p = NETWORKS[name];
      expect(cell('address prefix', i)).toBe(p.addressPrefix);
      expect(Number(cell('`powLimitBits`', i))).toBe(p.powLimitBits);
      expect(num('target spacing', i)).toBe(p.targetSpacing);
      expect(num('retarget interval', i)).toBe(p.retargetInterval);
      expect(cell('`noRetarget`', i)).toBe(String(p.noRetarget));
      expect(BigInt(num('initial subsidy', i)) * COIN).toBe(p.initialSubsidy);
      expect(num('halving interval', i)).toBe(p.halvingInterval);
      expect(num('coinbase maturity', i)).toBe(p.coinbaseMaturity);
      expect(num('genesis time', i)).toBe(p.genesis.time);
      expect(num('genesis nonce', i)).toBe(p.genesis.nonce);
      expect(cell('genesis message', i)).toBe(p.genesis.message);
      expect(cell('genesis hash', i)).toBe(blockHashHex(genesisBlock(p)));
      expect(num('default port', i)).toBe(p.defaultPort);
    });
  });
});
