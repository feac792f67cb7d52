// The policy endpoints (definitions/policy.ts): text or bytes in, the policy's view out. No port is
// needed beyond the network's address prefix; the work is bounded by the input's length (at most
// POLICY_TEXT_MAX characters or MAX_POLICY_SIZE bytes), so the routes cost nothing in ROUTE_COSTS.
import { fromHex, isHex, toHex } from '../../core/bytes.js';
import {
  decodePolicy,
  encodePolicy,
  type Policy,
  parsePolicy,
  policyDepth,
  policyHash,
  policyKeys,
  policySigChecks,
  policyText,
} from '../../core/policy/index.js';
import { encodeAddress } from '../../crypto/address.js';
import { policy as defs } from '../definitions/policy.js';
import { badRequest } from '../errors.js';
import type { RouteDef } from '../route-table.js';
import type { PolicyDecodeFragmentJson, PolicyDecodeJson } from '../schemas/index.js';
import { bind } from './bind.js';

const subsOf = (p: Policy): readonly Policy[] =>
  p.type === 'and' || p.type === 'or' || p.type === 'thresh' ? p.subs : [];

/** Every fragment in pre-order with its nesting level (0 for the whole policy). */
export function policyFragments(policy: Policy, depth = 0, out: PolicyDecodeFragmentJson[] = []) {
  out.push({ depth, type: policy.type, text: policyText(policy) });
  for (const sub of subsOf(policy)) policyFragments(sub, depth + 1, out);
  return out;
}

/** What the decode endpoints answer for a policy, with its address under `prefix`. */
export function policyView(prefix: string, policy: Policy): PolicyDecodeJson {
  const encoded = encodePolicy(policy);
  const hash = policyHash(encoded);
  return {
    text: policyText(policy),
    hex: toHex(encoded),
    hash: toHex(hash),
    address: encodeAddress(prefix, hash),
    size: encoded.length,
    depth: policyDepth(policy),
    keys: policyKeys(policy).map(toHex),
    fragments: policyFragments(policy),
    sigChecks: policySigChecks(policy),
  };
}

/** The policy of `{ text }` or `{ hex }`; RuleError bad-policy / policy-too-large when it is not one. */
function policyOf(input: { text?: string; hex?: string }): Policy {
  const { text, hex } = input;
  if ((text === undefined) === (hex === undefined))
    throw badRequest('send exactly one of text (the policy text) and hex (its encoding)');
  if (text !== undefined) return parsePolicy(text);
  if (!isHex(hex) || hex === '') throw badRequest('hex must be an even number of hex digits, at least 2');
  return decodePolicy(fromHex(hex));
}

export function policyRoutes(addressPrefix: string): RouteDef[] {
  return [
    bind(defs.decodePolicyText, async (req) => policyView(addressPrefix, policyOf({ text: req.query.text }))),
    bind(defs.decodePolicy, async (req) => policyView(addressPrefix, policyOf(req.body))),
  ];
}
