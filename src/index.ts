// The package's public API (`import … from 'hashline'`): blocks, transactions, hashing, validation, the
// chain on disk, mining a block on this thread, and the wallet's keys and transaction building.
// A deliberate selection: everything else under src/ may change without notice.
import './polyfill.js';
import { Chain } from './chain/chain.js';
import { getNetwork, type NetworkName, type NetworkParams } from './core/params.js';
import { openStore } from './node/level-store.js';

// ---- Blocks and transactions: formats and encoding -------------------------------------------------

/** A block: its 80-byte header and its transactions, coinbase first. */
export type { Block } from './core/block.js';
/** Serializes a block to its wire and storage bytes; `decodeBlock` reads them back (throws on bad bytes). */
export { decodeBlock, encodeBlock } from './core/block.js';
/** Bytes to lowercase hex and back. */
export { fromHex, toHex } from './core/bytes.js';
/** A block header: version, previous hash, Merkle root, time, compact bits, nonce. */
export type { BlockHeader } from './core/header.js';
/** The 80 header bytes that proof of work is computed over, and back. */
export { decodeHeader, encodeHeader } from './core/header.js';
/** A transaction, its inputs (outpoint, public key, signature) and outputs (amount, 20-byte key hash). */
export type { Tx, TxInput, TxOutput } from './core/tx.js';
/** Serializes a transaction; `decodeTx` reads one back (throws on bad bytes). */
export { decodeTx, encodeTx } from './core/tx.js';

// ---- Hashing and Merkle trees ----------------------------------------------------------------------

/**
 * A block's hash (double SHA-256 of its header, as bytes or as hex in display order), and the Merkle
 * root a header must commit to for these transactions.
 */
export { blockHash, blockHashHex, computeMerkleRoot } from './core/block.js';
/** SHA-256 and double SHA-256. */
export { sha256, sha256d } from './core/hash.js';
/** A header's hash (the same as its block's). */
export { headerHash, headerHashHex } from './core/header.js';
/** Merkle root of leaf hashes, inclusion proofs and their check. */
export { type MerkleStep, merkleProof, merkleRoot, verifyMerkleProof } from './core/merkle.js';
/** A transaction's id: double SHA-256 of it with the signatures left out. */
export { txid, txidHex } from './core/tx.js';

// ---- Proof of work and network parameters ----------------------------------------------------------

/** The network's genesis block. */
export { genesisBlock } from './core/genesis.js';
/**
 * Network parameter sets (`main`, `dev`, `regtest`), looked up by name; base units per coin, the largest
 * data record, and the block reward at a height.
 */
export {
  blockSubsidy,
  COIN,
  getNetwork,
  MAX_DATA_SIZE,
  NETWORKS,
  type NetworkName,
  type NetworkParams,
} from './core/params.js';
/** Compact bits to a 256-bit target, whether a hash meets it, and the expected hashes (work) of a target. */
export { bitsToTarget, hashMeetsTarget, targetToBits, workForBits, workForTarget } from './core/pow.js';

// ---- Validation ------------------------------------------------------------------------------------

/** A broken consensus rule: `code` is the stable rule code (e.g. `bad-merkle-root`). */
export { RULE_CODES, type RuleCode, RuleError } from './core/errors.js';
/** Checks a transaction, or a block on its own, or a block against its parent's context. */
export { type BlockContext, checkBlockContext, checkBlockSanity, checkTxSanity } from './core/validation.js';

// ---- The chain on disk -----------------------------------------------------------------------------

/** The block index with most-work fork choice; `processBlock` validates and connects a block. */
export { Chain, type ChainOptions, type ProcessResult, type ProcessStatus } from './chain/chain.js';
/** One block's place in the chain: hash, header, height, cumulative work. */
export type { ChainEntry } from './chain/entry.js';
/** Re-validates every stored block from genesis; names the first block that breaks a rule, and the rule. */
export type { VerifyOutcome } from './chain/verify.js';
export { verifyStoredChainOnDisk as verifyStoredChain } from './node/level-store.js';
/** The LevelDB store a Chain keeps its blocks, coins and index in. */
export type { ChainStore } from './store/store.js';

/**
 * Opens the chain kept in `directory` (a LevelDB store, created with the genesis block if empty).
 * Close it with `chain.store.close()` when done.
 */
export async function openChain(
  directory: string,
  network: NetworkName | NetworkParams = 'regtest',
): Promise<Chain> {
  const params = typeof network === 'string' ? getNetwork(network) : network;
  const store = await openStore(directory);
  try {
    return await Chain.open({ store, params });
  } catch (e) {
    await store.close();
    throw e;
  }
}

// ---- Mining on this thread -------------------------------------------------------------------------

/**
 * `assembleBlock`: a block template (a coinbase paying subsidy plus fees, then the given transactions;
 * nonce 0). `solveBlock`: finds its nonce on this thread, for easy targets such as regtest's.
 */
export { assembleBlock, solveBlock, type TemplateInput } from './miner/template.js';

// ---- Keys, addresses, transactions -----------------------------------------------------------------

/**
 * Every endpoint of a node's HTTP API by name (`getBlock`, `submitTx`, …), typed by its schemas; an
 * `{error, message}` answer is thrown as ApiError (docs/api.md, "Definitions and the typed client").
 */
export { type ApiClient, type ApiClientOptions, ApiError, createApiClient } from './api/client.js';
/** The 20-byte hash an address encodes and an output pays to. */
export { publicKeyHash } from './core/tx.js';
/** bech32m addresses (`hlrt1…` on regtest) of public keys and 20-byte key hashes; checks. */
export { addressFromPublicKey, decodeAddress, encodeAddress, isAddress } from './crypto/address.js';
/** Ed25519 key pairs: a new random one, or the one of a 32-byte private key. */
export { generateKeyPair, type KeyPair, keyPairFromPrivate } from './crypto/ed25519.js';
/** BIP39 mnemonics, and the HD wallet (SLIP-0010 Ed25519) they open. */
export { generateMnemonic } from './crypto/mnemonic.js';
/** Coins as text (`"1.5"`) to base units and back. */
export { formatCoins, parseCoins } from './wallet/amount.js';
/** Chooses coins, adds change and signs every input; `signTx` signs a transaction laid out by hand. */
export { type BuildTxOptions, type BuiltTx, buildTransaction, signTx } from './wallet/build-tx.js';
/** A node's REST API over HTTP: status, address balance and coins, submit a transaction, mine. */
export { type AddressInfo, NodeClient, type NodeClientOptions } from './wallet/client.js';
/** A spendable coin and a payment, as buildTransaction takes them. */
export type { Payment, Utxo } from './wallet/coin-select.js';
/** Wallet failures (`code`: insufficient-funds, bad-address, …) and the node's refusals (`code`: the rule). */
export { InsufficientFundsError, NodeApiError, WalletError } from './wallet/errors.js';
export { HdWallet, type WalletKey } from './wallet/keys.js';
