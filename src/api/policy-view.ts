// A policy spend as the API shows it: the revealed policy's text, bytes and fragments, each marked
// with whether the witness used it (the branch it took). Only a witness the consensus rules accept
// marks fragments; for any other (a refused transaction decoded for explanation) none is marked.
import { toHex } from '../core/bytes.js';
import { RuleError } from '../core/errors.js';
import {
  checkWitness,
  decodePolicy,
  policyText,
  policyTree,
  type SatisfiedNode,
} from '../core/policy/index.js';
import { inputSequence, type Tx, type TxInput, txLockTime } from '../core/tx.js';

export interface PolicyFragmentView {
  readonly depth: number;
  readonly type: string;
  readonly text: string;
  readonly used: boolean;
}

export interface PolicyView {
  readonly text: string | null;
  readonly hex: string;
  readonly fragments: PolicyFragmentView[];
}

function flatten(node: SatisfiedNode, depth: number, out: PolicyFragmentView[]): void {
  out.push({ depth, type: node.type, text: node.text, used: node.used });
  for (const child of node.children) flatten(child, depth + 1, out);
}

/** The view of an input's revealed policy; null for a key spend. */
export function policyView(tx: Tx, input: TxInput): PolicyView | null {
  if (input.policy === undefined) return null;
  const hex = toHex(input.policy);
  try {
    const policy = decodePolicy(input.policy);
    const fragments: PolicyFragmentView[] = [];
    try {
      const fields = { lockTime: txLockTime(tx), sequence: inputSequence(input) };
      flatten(checkWitness(policy, input.witness ?? new Uint8Array(), fields).tree, 0, fragments);
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      // Not satisfied: the same tree, nothing marked as used.
      flatten(policyTree(policy), 0, fragments);
    }
    return { text: policyText(policy), hex, fragments };
  } catch (e) {
    if (!(e instanceof RuleError)) throw e;
    return { text: null, hex, fragments: [] };
  }
}
