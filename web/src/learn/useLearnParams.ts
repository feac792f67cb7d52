// The network parameters the learn steps use: the connected node's network, main when unknown.
import { NETWORKS, type NetworkName, type NetworkParams } from '../../../src/core/params.js';
import { useNode } from '../api/node.js';

export function useLearnParams(): NetworkParams {
  const { status } = useNode();
  const name = status?.network;
  return name && name in NETWORKS ? NETWORKS[name as NetworkName] : NETWORKS.main;
}
