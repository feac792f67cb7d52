// JSON shapes of the node's HTTP API, from the schemas the node serialises its answers with
// (src/api/schemas). Type-only imports: none of the schema code lands in the bundle.
export type {
  AddressJson,
  BlockEventJson,
  BlockJson,
  BlockSummaryJson as BlockSummary,
  BlocksJson,
  ChainTreeJson,
  DecodeJson,
  FeesJson,
  HistoryEntryJson,
  MempoolJson,
  MerkleStepJson,
  MinerJson,
  PeerAddedJson,
  PeerJson,
  PeersJson,
  PolicyDecodeJson,
  RefusalJson,
  ResolveJson,
  RuleStepJson,
  SearchJson,
  StatusJson,
  SubmitTxJson,
  TxEventJson,
  TxInputJson,
  TxJson,
  TxListEntryJson,
  TxListJson,
  TxOutputJson,
  UtxoJson,
} from '../../../src/api/schemas/index.js';

/** Amounts are decimal strings of base units. */
export type Units = string;
