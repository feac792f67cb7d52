// Named networks: a network id gives a copy of a network's rules its own genesis block and its own
// protocol names, so that two classes' dev chains never accept each other's blocks or peers
// (docs/protocol.md, "Network ids"). Pure: the genesis nonce is found by hashing, nothing else.
import { firstGenesisNonce } from './genesis.js';
import type { NetworkParams } from './params.js';

/** 1 to 24 characters: lowercase letters, digits and '-', not starting with '-'. */
export const NETWORK_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,23}$/;

/** Why `id` is not a network id, or undefined when it is one. */
export function networkIdProblem(id: string): string | undefined {
  if (NETWORK_ID_PATTERN.test(id)) return undefined;
  return `network id "${id}" must be 1 to 24 characters of a-z, 0-9 and '-', not starting with '-'`;
}

const derived = new WeakMap<NetworkParams, Map<string, NetworkParams>>();

/**
 * `base` with a network id: the same rules, the genesis message followed by a space and the id, and the
 * first genesis nonce that meets powLimit. The same (base, id) gives the same object.
 */
export function networkWithId(base: NetworkParams, id: string): NetworkParams {
  const problem = networkIdProblem(id);
  if (problem) throw new Error(problem);
  if (base.id !== undefined) throw new Error(`${networkTag(base)} already has a network id`);
  let byId = derived.get(base);
  if (!byId) derived.set(base, (byId = new Map()));
  const known = byId.get(id);
  if (known) return known;
  const unsolved: NetworkParams = {
    ...base,
    id,
    genesis: { time: base.genesis.time, nonce: 0, message: `${base.genesis.message} ${id}` },
  };
  const params = Object.freeze({
    ...unsolved,
    genesis: Object.freeze({ ...unsolved.genesis, nonce: firstGenesisNonce(unsolved) }),
  });
  byId.set(id, params);
  return params;
}

/**
 * The network's name on the wire (protocol names, gossip topics, the status handshake): the network's
 * name, followed by '-' and the id for a named network (`dev-class-7b`).
 */
export const networkTag = (params: NetworkParams): string =>
  params.id === undefined ? params.name : `${params.name}-${params.id}`;
