// Spending policies (docs/protocol.md, "Spending policies"): the language, its canonical binary and
// text forms, the witness check consensus runs, and the satisfier wallets use. Pure: bytes in, a value
// or a RuleError out; runs in Node and the browser.
export { decodePolicy, encodePolicy, policyDepth, policyHash } from './codec.js';
export { policyKeys } from './keys.js';
export { afterUnmet, fragmentLabel, olderUnmet } from './limits.js';
export { policySigChecks } from './measure.js';
export { satisfy } from './satisfy.js';
export { parsePolicy, policyText } from './text.js';
export type {
  Available,
  FragmentType,
  Policy,
  SatisfiedNode,
  SpendFields,
  WitnessCheck,
  WitnessSignature,
} from './types.js';
export { MAX_POLICY_ARITY } from './types.js';
export { checkWitness, describeWitness, policyTree, sigCheckCount } from './witness.js';
