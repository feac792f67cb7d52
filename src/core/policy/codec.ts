// The canonical binary encoding of a policy (docs/protocol.md, "Policy encoding"), its hash, its depth.
import { ByteWriter } from '../bytes.js';
import { RuleError } from '../errors.js';
import { sha256 } from '../hash.js';
import { MAX_POLICY_DEPTH, MAX_POLICY_SIZE } from '../params.js';
import { afterProblem, arityProblem, badPolicy, duplicateKeyProblem, olderProblem } from './limits.js';
import { POLICY_HASH_SIZE, POLICY_KEY_SIZE, type Policy, TAGS } from './types.js';

const NAMES = ['', 'pk', 'multi', 'after', 'older', 'sha256', 'and', 'or', 'thresh'] as const;

const tooLarge = (what: string): RuleError =>
  new RuleError('policy-too-large', `${what} is above the ${MAX_POLICY_SIZE}-byte limit`);

/** Reads fragments from the policy bytes by offset; every failure is bad-policy naming the fragment and byte. */
class Decoder {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number, name: string, start: number): void {
    if (this.pos + n > this.buf.length) {
      throw badPolicy(`${name} at byte ${start}: the policy ends before the fragment does`);
    }
  }

  private take(n: number): Uint8Array {
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** One fragment at nesting level `level` (the top fragment is level 1). */
  fragment(level: number): Policy {
    const start = this.pos;
    if (level > MAX_POLICY_DEPTH) throw badPolicy(`nesting deeper than ${MAX_POLICY_DEPTH} at byte ${start}`);
    if (start >= this.buf.length)
      throw badPolicy(`the policy ends at byte ${start}, where a fragment should start`);
    const tag = this.buf[this.pos++]!;
    const name = NAMES[tag];
    if (name === undefined || name === '') {
      throw badPolicy(`unknown fragment tag 0x${tag.toString(16).padStart(2, '0')} at byte ${start}`);
    }
    switch (name) {
      case 'pk':
        this.need(POLICY_KEY_SIZE, name, start);
        return { type: 'pk', key: this.take(POLICY_KEY_SIZE) };
      case 'sha256':
        this.need(POLICY_HASH_SIZE, name, start);
        return { type: 'sha256', hash: this.take(POLICY_HASH_SIZE) };
      case 'after':
      case 'older': {
        this.need(4, name, start);
        const n = this.view.getUint32(this.pos, true);
        this.pos += 4;
        const problem = name === 'after' ? afterProblem(n) : olderProblem(n);
        if (problem) throw badPolicy(`${name} at byte ${start}: ${problem}`);
        return { type: name, n };
      }
      case 'multi': {
        const [k, n] = this.arity(name, start);
        this.need(n * POLICY_KEY_SIZE, name, start);
        const keys: Uint8Array[] = [];
        for (let i = 0; i < n; i++) keys.push(this.take(POLICY_KEY_SIZE));
        const duplicate = duplicateKeyProblem(keys);
        if (duplicate) throw badPolicy(`${name} at byte ${start}: ${duplicate}`);
        return { type: 'multi', k, keys };
      }
      case 'thresh': {
        const [k, n] = this.arity(name, start);
        const subs: Policy[] = [];
        for (let i = 0; i < n; i++) subs.push(this.fragment(level + 1));
        return { type: 'thresh', k, subs };
      }
      case 'and':
      case 'or': {
        const x = this.fragment(level + 1);
        const y = this.fragment(level + 1);
        return { type: name, subs: [x, y] };
      }
    }
  }

  private arity(name: string, start: number): [number, number] {
    this.need(2, name, start);
    const k = this.buf[this.pos]!;
    const n = this.buf[this.pos + 1]!;
    this.pos += 2;
    const problem = arityProblem(k, n);
    if (problem) throw badPolicy(`${name} at byte ${start}: ${problem}`);
    return [k, n];
  }
}

/**
 * Decodes canonical bytes: policy-too-large above MAX_POLICY_SIZE (checked first), bad-policy naming the
 * fragment and its byte for anything else. Linear in the input; recursion stops at MAX_POLICY_DEPTH.
 */
export function decodePolicy(bytes: Uint8Array): Policy {
  if (bytes.length > MAX_POLICY_SIZE) throw tooLarge(`the policy's ${bytes.length} bytes`);
  const decoder = new Decoder(bytes);
  const policy = decoder.fragment(1);
  const left = bytes.length - decoder.pos;
  if (left !== 0)
    throw badPolicy(`${left} bytes left over after the policy, which ends at byte ${decoder.pos}`);
  return policy;
}

/** Encoded size, or MAX_POLICY_SIZE + 1 as soon as it is known to be larger (so a huge tree costs little). */
function boundedSize(p: Policy, budget: number): number {
  switch (p.type) {
    case 'pk':
    case 'sha256':
      return 33;
    case 'after':
    case 'older':
      return 5;
    case 'multi':
      return 3 + POLICY_KEY_SIZE * p.keys.length;
    case 'and':
    case 'or':
    case 'thresh': {
      let size = p.type === 'thresh' ? 3 : 1;
      for (const sub of p.subs) {
        if (size > budget) break;
        size += boundedSize(sub, budget - size);
      }
      return size;
    }
    default:
      throw badPolicy(`unknown fragment type ${JSON.stringify((p as { type: unknown }).type)}`);
  }
}

function checkBytes(b: Uint8Array, size: number, what: string, where: string): void {
  if (!(b instanceof Uint8Array) || b.length !== size)
    throw badPolicy(`${where}: ${what} is not ${size} bytes`);
}

/** Checks one fragment's limits and writes it (and, depth first, its sub-policies). */
function write(p: Policy, level: number, w: ByteWriter): void {
  if (level > MAX_POLICY_DEPTH) throw badPolicy(`nesting deeper than ${MAX_POLICY_DEPTH} at ${p.type}`);
  w.u8(TAGS[p.type]);
  switch (p.type) {
    case 'pk':
      checkBytes(p.key, POLICY_KEY_SIZE, 'the key', 'pk');
      w.bytes(p.key);
      return;
    case 'sha256':
      checkBytes(p.hash, POLICY_HASH_SIZE, 'the hash', 'sha256');
      w.bytes(p.hash);
      return;
    case 'after':
    case 'older': {
      const problem = p.type === 'after' ? afterProblem(p.n) : olderProblem(p.n);
      if (problem) throw badPolicy(`${p.type}: ${problem}`);
      w.u32(p.n);
      return;
    }
    case 'multi': {
      const problem = arityProblem(p.k, p.keys.length) ?? duplicateKeyProblem(p.keys);
      if (problem) throw badPolicy(`multi: ${problem}`);
      w.u8(p.k).u8(p.keys.length);
      p.keys.forEach((key, i) => {
        checkBytes(key, POLICY_KEY_SIZE, `key ${i}`, 'multi');
        w.bytes(key);
      });
      return;
    }
    case 'thresh': {
      const problem = arityProblem(p.k, p.subs.length);
      if (problem) throw badPolicy(`thresh: ${problem}`);
      w.u8(p.k).u8(p.subs.length);
      for (const sub of p.subs) write(sub, level + 1, w);
      return;
    }
    case 'and':
    case 'or':
      if (p.subs.length !== 2) throw badPolicy(`${p.type}: ${p.subs.length} sub-policies, not 2`);
      write(p.subs[0], level + 1, w);
      write(p.subs[1], level + 1, w);
      return;
  }
}

/**
 * The canonical encoding. Throws policy-too-large when it would pass MAX_POLICY_SIZE (checked first, as
 * decoding does), bad-policy for a fragment out of range, a repeated key or nesting past MAX_POLICY_DEPTH:
 * a tree encodes exactly when its encoding decodes.
 */
export function encodePolicy(policy: Policy): Uint8Array {
  const size = boundedSize(policy, MAX_POLICY_SIZE);
  if (size > MAX_POLICY_SIZE) throw tooLarge("the policy's encoding");
  const w = new ByteWriter(size);
  write(policy, 1, w);
  return w.finish();
}

/** SHA-256 of the encoding: what a policy output locks to. */
export const policyHash = (encoded: Uint8Array): Uint8Array => sha256(encoded);

/** Nesting depth: a leaf is 1; and, or and thresh one more than their deepest child. */
export function policyDepth(policy: Policy): number {
  if (policy.type !== 'and' && policy.type !== 'or' && policy.type !== 'thresh') return 1;
  let deepest = 0;
  for (const sub of policy.subs) deepest = Math.max(deepest, policyDepth(sub));
  return deepest + 1;
}
