// Wallet keys, a signed payment, a node running in this process, a mined block, the balances after.
// Run: npm run build && node examples/payment.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addressFromPublicKey,
  buildTransaction,
  formatCoins,
  generateKeyPair,
  generateMnemonic,
  getNetwork,
  HdWallet,
  NodeClient,
  parseCoins,
} from 'hashline';
import { HashlineNode, nodeConfig } from 'hashline/node';

const params = getNetwork('regtest');
const dir = mkdtempSync(join(tmpdir(), 'hashline-payment-'));
const node = await HashlineNode.start(nodeConfig({ network: params.name, dataDir: dir }));
try {
  const client = new NodeClient(node.url());
  console.log(`node running at ${node.url()}, mining with the ${(await client.status()).kernel} kernel`);

  // Alice has an HD wallet (its mnemonic is all she needs to keep); Bob has a bare key pair.
  const alice = await HdWallet.fromMnemonic(generateMnemonic(), params);
  const aliceAddress = alice.receiveAddress(0);
  const bobAddress = addressFromPublicKey(params.addressPrefix, generateKeyPair().publicKey);

  // Alice mines a block: its reward is hers. (Coinbase maturity on regtest is one block.)
  const first = await client.mine(aliceAddress);
  console.log(`mined block ${first.height}: reward ${formatCoins(BigInt(first.reward))} to alice`);

  // She builds and signs a payment to Bob from her coins, with change to her change address.
  const coins = (await client.address(aliceAddress)).utxos
    .filter((u) => u.spendable)
    .map((u) => ({ txid: u.txid, index: u.index, amount: u.amount, address: aliceAddress }));
  const built = buildTransaction({
    params,
    utxos: coins,
    payments: [{ address: bobAddress, amount: parseCoins('12.5') }],
    feeRate: 2n,
    changeAddress: alice.changeAddress(0),
    data: 'December rent',
    keyFor: (address) => alice.keyForAddress(address),
  });
  const { txid } = await client.postTx(built.hex);
  console.log(`sent ${txid}: ${built.size} bytes, fee ${built.fee} units`);

  // Anyone's block confirms it: here the node mines one paying its own wallet.
  const second = await client.mine();
  const confirmed = second.txs.some((tx) => tx.txid === txid);
  console.log(
    `mined block ${second.height} with ${second.txCount} transactions: payment confirmed ${confirmed}`,
  );

  const balance = async (address) => (await client.address(address)).balance.confirmed;
  const aliceTotal = (await balance(aliceAddress)) + (await balance(alice.changeAddress(0)));
  console.log(`balance alice: ${formatCoins(aliceTotal)}`);
  console.log(`balance bob: ${formatCoins(await balance(bobAddress))}`);
  console.log(`fee: ${formatCoins(built.fee)}`);
} finally {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}
