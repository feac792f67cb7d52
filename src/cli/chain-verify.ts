// `hashline chain verify`, once its options are parsed: re-validates every stored block from genesis.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { blockHash, decodeBlock } from '../core/block.js';
import { toHex } from '../core/bytes.js';
import { genesisBlock } from '../core/genesis.js';
import { networkIdProblem, networkTag, networkWithId } from '../core/network-id.js';
import { NETWORKS, type NetworkParams } from '../core/params.js';
import { decodeCoinbaseData } from '../core/tx.js';
import { openStore, verifyStoredChainOnDisk } from '../node/level-store.js';
import { SignatureVerifierPool } from '../node/verifier.js';
import type { ChainStore } from '../store/store.js';

/**
 * The network whose genesis block sits at height 0 of the store: a built-in one, or a network id's, read
 * from the genesis message (a network's message, a space, the id).
 */
async function detectNetwork(store: ChainStore): Promise<NetworkParams | undefined> {
  const genesis = await store.blocks.getHashAtHeight(0);
  if (!genesis) return undefined;
  const isGenesis = (p: NetworkParams) => toHex(blockHash(genesisBlock(p))) === toHex(genesis);
  const builtIn = Object.values(NETWORKS).find(isGenesis);
  if (builtIn) return builtIn;
  const bytes = await store.blocks.getBlockBytes(genesis);
  const coinbase = bytes ? decodeBlock(bytes).txs[0] : undefined;
  if (!coinbase) return undefined;
  const message = new TextDecoder().decode(decodeCoinbaseData(coinbase.data).text);
  for (const base of Object.values(NETWORKS)) {
    const id = message.startsWith(`${base.genesis.message} `)
      ? message.slice(base.genesis.message.length + 1)
      : '';
    if (networkIdProblem(id) === undefined && isGenesis(networkWithId(base, id)))
      return networkWithId(base, id);
  }
  return undefined;
}

/** Sets process.exitCode: 0 valid, 1 a bad block or unknown genesis, 2 no chain found. */
export async function runChainVerify(dataDirOption: string): Promise<void> {
  const dataDir = resolve(dataDirOption);
  const location = existsSync(join(dataDir, 'chain')) ? join(dataDir, 'chain') : dataDir;
  if (!existsSync(location)) {
    console.error(`no chain found in ${dataDir}`);
    process.exitCode = 2;
    return;
  }
  const store = await openStore(location);
  const verifier = new SignatureVerifierPool();
  try {
    const params = await detectNetwork(store);
    if (!params) {
      console.error(`the store in ${dataDir} does not start with a known genesis block`);
      process.exitCode = 1;
      return;
    }
    const bar = process.stderr.isTTY
      ? new SingleBar({
          format: 'verifying [{bar}] {value}/{total} blocks  {eta}s left',
          stream: process.stderr,
        })
      : undefined;
    let lastLog = Date.now();
    let started = false;
    const outcome = await verifyStoredChainOnDisk(store, params, {
      verifySignatures: verifier.asChainVerifier(),
      onProgress: (height, total) => {
        if (bar) {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(height);
        } else if (Date.now() - lastLog > 2000) {
          lastLog = Date.now();
          console.error(`verified ${height}/${total} blocks`);
        }
      },
    });
    bar?.stop();
    if (outcome.ok) {
      console.log(
        `OK: ${networkTag(params)} chain of ${outcome.height + 1} blocks is valid; tip ${outcome.tip}`,
      );
    } else {
      console.error(
        `INVALID: block ${outcome.height} (${outcome.hash}) breaks rule ${outcome.code}: ${outcome.message}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await verifier.close();
    await store.close();
  }
}
