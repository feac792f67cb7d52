// `hashline wallet pubkey`, `wallet policy address|list`, `wallet lock`, and payments from the wallet's
// key coins to policy addresses. A policy text may say `me` for this wallet's key (its first receive
// key, the one `wallet pubkey` prints).
import { toHex } from '../core/bytes.js';
import { addressKind, decodeAddress } from '../crypto/address.js';
import { RECEIVE_CHAIN } from '../crypto/hd.js';
import { formatCoins, parseCoins } from '../wallet/amount.js';
import { WalletError } from '../wallet/errors.js';
import {
  describePolicy,
  type PolicyDescription,
  policyFromText,
  timelockPolicy,
} from '../wallet/policy-wallet.js';
import { sendPayment } from '../wallet/send.js';
import type { WalletCliIo } from './wallet.js';
import { resolveFeeRate, sendDeps } from './wallet-actions.js';
import { type CommonOptions, pad, Session, toJson } from './wallet-shared.js';

/** The wallet's own key for policies: receive key #0. */
const OWN_KEY_INDEX = 0;

/** An optional u32 option, e.g. --lock-time; undefined when not given. */
export function u32Option(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 0xffff_ffff)
    throw new WalletError('bad-option', `${name} ${value} is not a whole number from 0 to 4294967295`);
  return n;
}

/** Parses a policy text, unlocking the wallet only when the text names `me`. */
async function policyOf(session: Session, text: string): Promise<PolicyDescription> {
  const names: Record<string, Uint8Array> = /\bme\b/.test(text)
    ? { me: (await session.unlock()).key(RECEIVE_CHAIN, OWN_KEY_INDEX).publicKey }
    : {};
  return describePolicy(policyFromText(text, names), session.params.addressPrefix);
}

/** --from: a policy text, or the address of a policy the wallet watches. */
export async function resolvePolicySource(session: Session, from: string): Promise<PolicyDescription> {
  let hash: Uint8Array | undefined;
  try {
    hash = decodeAddress(session.params.addressPrefix, from.trim());
  } catch {}
  if (!hash) return policyOf(session, from);
  if (addressKind(hash) !== 'policy')
    throw new WalletError(
      'bad-address',
      `${from} is a key address: --from takes a policy text or policy address`,
    );
  for (const text of session.data.policies ?? []) {
    const described = describePolicy(policyFromText(text), session.params.addressPrefix);
    if (described.address === from.trim().toLowerCase()) return described;
  }
  throw new WalletError(
    'bad-address',
    `wallet "${session.data.name}" does not watch ${from}: give its policy text, or watch it with \`hashline wallet policy address <text> --watch\``,
  );
}

export async function pubkeyCommand(opts: CommonOptions, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const key = (await session.unlock()).key(RECEIVE_CHAIN, OWN_KEY_INDEX);
  if (opts.json) io.stdout(`${toJson({ publicKey: toHex(key.publicKey), path: key.path })}\n`);
  else io.stdout(`${toHex(key.publicKey)}\n`);
}

function printPolicy(d: PolicyDescription, io: WalletCliIo, json?: boolean, extra = {}): void {
  const view = { text: d.text, address: d.address, hash: toHex(d.hash), keys: d.keys, ...extra };
  if (json) {
    io.stdout(`${toJson(view)}\n`);
    return;
  }
  io.stdout(`Policy   ${d.text}\nAddress  ${d.address}\nHash     ${toHex(d.hash)}\n`);
  for (const [i, k] of d.keys.entries()) io.stdout(`${i === 0 ? 'Keys     ' : '         '}${k}\n`);
}

export async function policyAddressCommand(
  text: string,
  opts: CommonOptions & { watch?: boolean },
  io: WalletCliIo,
): Promise<void> {
  const session = await Session.open(opts, io);
  const described = await policyOf(session, text);
  const added = opts.watch ? await session.watchPolicy(described.text) : false;
  printPolicy(described, io, opts.json, opts.watch ? { watched: true } : {});
  if (opts.watch && !opts.json)
    io.stderr(added ? `Watching it in wallet "${session.data.name}"\n` : 'Already watched\n');
}

export async function policyListCommand(opts: CommonOptions, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  await session.nodeStatus();
  const rows = await Promise.all(
    (session.data.policies ?? []).map(async (text) => {
      const d = describePolicy(policyFromText(text), session.params.addressPrefix);
      const info = await session.client.address(d.address);
      return { text: d.text, address: d.address, balance: info.balance, coins: info.utxos.length };
    }),
  );
  if (opts.json) io.stdout(`${toJson({ policies: rows })}\n`);
  else if (rows.length === 0)
    io.stdout('No watched policies: add one with `hashline wallet policy address <text> --watch`\n');
  else
    for (const r of rows) io.stdout(`${r.address}  ${pad(formatCoins(r.balance.confirmed), 16)} ${r.text}\n`);
}

/** Pays `amount` from the wallet's coins to `to` (a policy address takes version 2); returns the txid. */
async function payFromWallet(
  session: Session,
  to: string,
  amount: bigint,
  feeRateText: string | undefined,
): Promise<{ txid: string; fee: bigint }> {
  const status = await session.nodeStatus();
  const feeRate = await resolveFeeRate(session, feeRateText, 'normal', status.mempool?.minFeeRate);
  const { built } = await sendPayment(sendDeps(session), { to, amount, feeRate });
  return { txid: built.txid, fee: built.fee };
}

export type LockOptions = CommonOptions & { until: string; amount: string; feeRate?: string };

export async function lockCommand(opts: LockOptions, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const until = u32Option('--until', opts.until)!;
  if (until < 1) throw new WalletError('bad-option', '--until must be a height of at least 1');
  const amount = parseCoins(opts.amount);
  const me = (await session.unlock()).key(RECEIVE_CHAIN, OWN_KEY_INDEX).publicKey;
  const described = describePolicy(timelockPolicy(me, until), session.params.addressPrefix);
  await session.watchPolicy(described.text);
  const { txid, fee } = await payFromWallet(session, described.address, amount, opts.feeRate);
  if (opts.json) {
    io.stdout(
      `${toJson({ txid, amount, fee, until, address: described.address, policy: described.text })}\n`,
    );
    return;
  }
  io.stdout(`Locked: ${formatCoins(amount)} until block ${until}\n`);
  io.stdout(`  txid     ${txid}\n  address  ${described.address}\n  policy   ${described.text}\n`);
  io.stdout(`  fee      ${formatCoins(fee)}\n`);
  io.stdout(
    `Spend it from block ${until} on: hashline wallet psbt create --from ${described.address} --to <address> --amount <coins> --lock-time ${until}\n`,
  );
}
