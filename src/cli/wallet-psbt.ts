// `hashline wallet psbt …`: partially signed transactions from the command line. The text form goes to
// stdout alone (so it can be piped or saved: `… > escrow.psbt`); what happened goes to stderr.
import { readFile } from 'node:fs/promises';
import { fromHex, isHex, toHex } from '../core/bytes.js';
import { type Policy, policyText } from '../core/policy/index.js';
import { encodeTx, txid } from '../core/tx.js';
import { decodeAddress, encodeAddress } from '../crypto/address.js';
import { formatCoins, parseCoins } from '../wallet/amount.js';
import { NodeApiError, WalletError } from '../wallet/errors.js';
import type { HdWallet, WalletKey } from '../wallet/keys.js';
import { decodePolicyOrThrow } from '../wallet/policy-info.js';
import {
  addPreimage,
  combinePsbts,
  finalizePsbt,
  inputKeys,
  type Psbt,
  psbtFromText,
  psbtStatus,
  psbtToText,
  signPsbt,
} from '../wallet/psbt.js';
import { fundPsbt } from '../wallet/psbt-fund.js';
import { qrcodeTerminal } from '../wallet/qr.js';
import type { WalletCliIo } from './wallet.js';
import { resolveFeeRate } from './wallet-actions.js';
import { resolvePolicySource, u32Option } from './wallet-policy.js';
import { type CommonOptions, Session, toJson } from './wallet-shared.js';

/** A PSBT argument: the text itself, or the path of a file holding it. */
export async function readPsbtArg(arg: string): Promise<Psbt> {
  if (arg.trim().startsWith('hlpsbt')) return psbtFromText(arg);
  let text: string;
  try {
    text = await readFile(arg, 'utf8');
  } catch {
    throw new WalletError(
      'bad-psbt',
      `"${arg.slice(0, 40)}" is neither a partially signed transaction (hlpsbt:…) nor a readable file`,
    );
  }
  return psbtFromText(text);
}

function printPsbt(psbt: Psbt, io: WalletCliIo, opts: { json?: boolean; qr?: boolean }, extra = {}): void {
  const text = psbtToText(psbt);
  if (opts.json) {
    io.stdout(
      `${toJson({ psbt: text, txid: toHex(txid(psbt.tx)), ...extra, complete: psbtStatus(psbt).every((s) => s.complete) })}\n`,
    );
    return;
  }
  if (opts.qr) io.stdout(`${qrcodeTerminal(text)}\n`);
  io.stdout(`${text}\n`);
}

function describeProgress(psbt: Psbt, io: WalletCliIo): void {
  const status = psbtStatus(psbt);
  const waiting = status.filter((s) => !s.complete);
  if (waiting.length === 0) io.stderr('Complete: `hashline wallet psbt send` finalizes and sends it\n');
  else for (const [n, s] of status.entries()) if (!s.complete) io.stderr(`  input ${n} needs ${s.missing}\n`);
}

export type PsbtCreateOptions = CommonOptions & {
  from: string;
  to: string;
  amount: string;
  feeRate?: string;
  lockTime?: string;
  sequence?: string;
  change?: string;
};

export async function psbtCreateCommand(opts: PsbtCreateOptions, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const prefix = session.params.addressPrefix;
  const amount = parseCoins(opts.amount);
  const to = addressHash(prefix, opts.to, '--to');
  const source = await resolvePolicySource(session, opts.from);
  const change = opts.change ? addressHash(prefix, opts.change, '--change') : source.hash;
  const sequence = u32Option('--sequence', opts.sequence);
  const status = await session.nodeStatus();
  // A policy with an after(n) branch is spendable by it once the chain reaches n: by default the lock
  // time is the next block's height, which is final there and meets every after(n) up to it.
  const lockTime =
    u32Option('--lock-time', opts.lockTime) ??
    (hasAfter(decodePolicyOrThrow(source.encoding)) ? status.height + 1 : undefined);
  const feeRate = await resolveFeeRate(session, opts.feeRate, 'normal', status.mempool?.minFeeRate);
  const info = await session.client.address(source.address);
  const coins = info.utxos
    .filter((u) => u.spendable)
    .map((u) => ({
      txid: u.txid,
      index: u.index,
      amount: u.amount,
      address: source.hash,
      policy: source.encoding,
    }));
  if (coins.length === 0)
    throw new WalletError('insufficient-funds', `${source.address} has no spendable coins on the node`);
  const funded = fundPsbt({
    coins,
    payments: [{ amount, address: to }],
    change,
    feeRate,
    lockTime,
    sequence,
  });
  printPsbt(funded.psbt, io, opts, { fee: funded.fee, size: funded.size, change: funded.change });
  if (!opts.json) {
    io.stderr(
      `Created: ${formatCoins(amount)} to ${opts.to} from ${source.address} (${funded.psbt.inputs.length} coin${funded.psbt.inputs.length === 1 ? '' : 's'}); fee ${formatCoins(funded.fee)} (${funded.size} bytes at most)\n`,
    );
    describeProgress(funded.psbt, io);
  }
}

/** Whether any branch of a policy has an after(n). */
function hasAfter(policy: Policy): boolean {
  if (policy.type === 'after') return true;
  return 'subs' in policy && policy.subs.some(hasAfter);
}

function addressHash(prefix: string, address: string, what: string): Uint8Array {
  try {
    return decodeAddress(prefix, address);
  } catch (e) {
    throw new WalletError('bad-address', `${what}: ${(e as Error).message}`);
  }
}

/** The wallet's keys (both chains, up to the gap past the used ones) that may sign this transaction. */
function signingKeys(wallet: HdWallet, session: Session, psbt: Psbt): WalletKey[] {
  const wanted = new Set(psbt.tx.inputs.flatMap((_, n) => inputKeys(psbt, n)));
  return wallet
    .lookAhead(session.data.nextReceiveIndex, session.data.nextChangeIndex)
    .filter((k) => wanted.has(toHex(k.publicKey)));
}

/**
 * Each spent coin's amount as the node knows it. A signature commits to the amounts, so a copy that
 * lies about one only earns signatures that fail; but its fee and "complete" would mislead until
 * broadcast. Signing a copy whose amounts differ from the chain's is refused.
 */
async function checkAmountsWithNode(session: Session, psbt: Psbt): Promise<void> {
  for (const [n, input] of psbt.tx.inputs.entries()) {
    const id = toHex(input.prevTxid);
    const claimed = psbt.inputs[n]!.amount;
    const known = await session.client.tx(id).catch((e: unknown) => {
      if (e instanceof NodeApiError && e.status === 404) return undefined;
      throw e;
    });
    const output = known?.outputs[input.prevIndex];
    if (!output || BigInt(output.amount) !== claimed) {
      throw new WalletError(
        'psbt-mismatch',
        `input ${n} says coin ${id}:${input.prevIndex} holds ${formatCoins(claimed)}, but the node ${
          output ? `says ${formatCoins(BigInt(output.amount))}` : 'knows no such output'
        }: not signing`,
      );
    }
  }
}

export async function psbtSignCommand(
  arg: string,
  opts: CommonOptions & { qr?: boolean; preimage?: string },
  io: WalletCliIo,
): Promise<void> {
  const session = await Session.open(opts, io);
  let psbt = await readPsbtArg(arg);
  if (opts.preimage !== undefined) {
    if (!isHex(opts.preimage, 32))
      throw new WalletError('bad-option', '--preimage must be 32 bytes as 64 hex characters');
    psbt = addPreimage(psbt, fromHex(opts.preimage));
  }
  await checkAmountsWithNode(session, psbt);
  const wallet = await session.unlock();
  const keys = signingKeys(wallet, session, psbt);
  let added = 0;
  for (const key of keys) {
    const signed = signPsbt(psbt, key);
    psbt = signed.psbt;
    added += signed.added;
  }
  if (keys.length === 0 && opts.preimage === undefined)
    throw new WalletError(
      'nothing-to-sign',
      `none of wallet "${session.data.name}"'s keys signs this transaction (\`hashline wallet pubkey\` shows its key)`,
    );
  printPsbt(psbt, io, opts, { added });
  if (!opts.json) {
    io.stderr(`Signed: ${added} new signature${added === 1 ? '' : 's'} by wallet "${session.data.name}"\n`);
    describeProgress(psbt, io);
  }
}

export async function psbtCombineCommand(
  args: string[],
  opts: CommonOptions & { qr?: boolean },
  io: WalletCliIo,
): Promise<void> {
  if (args.length < 2) throw new WalletError('bad-option', 'give at least two partially signed transactions');
  const copies = await Promise.all(args.map(readPsbtArg));
  const combined = copies.slice(1).reduce(combinePsbts, copies[0]!);
  printPsbt(combined, io, opts);
  if (!opts.json) describeProgress(combined, io);
}

export async function psbtFinalizeCommand(arg: string, opts: CommonOptions, io: WalletCliIo): Promise<void> {
  const tx = finalizePsbt(await readPsbtArg(arg));
  const hex = toHex(encodeTx(tx));
  if (opts.json) io.stdout(`${toJson({ txid: toHex(txid(tx)), hex })}\n`);
  else io.stdout(`${hex}\n`);
}

export async function psbtSendCommand(arg: string, opts: CommonOptions, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const tx = finalizePsbt(await readPsbtArg(arg));
  await session.nodeStatus();
  const posted = await session.client.postTx(toHex(encodeTx(tx)));
  if (opts.json) io.stdout(`${toJson({ txid: posted.txid, sent: true })}\n`);
  else io.stdout(`Sent: ${posted.txid}\n`);
}

export async function psbtShowCommand(arg: string, opts: CommonOptions, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const prefix = session.params.addressPrefix;
  const psbt = await readPsbtArg(arg);
  const status = psbtStatus(psbt);
  const spent = psbt.inputs.reduce((t, i) => t + i.amount, 0n);
  const paid = psbt.tx.outputs.reduce((t, o) => t + o.amount, 0n);
  const view = {
    txid: toHex(txid(psbt.tx)),
    lockTime: psbt.tx.lockTime ?? 0,
    fee: spent - paid,
    complete: status.every((s) => s.complete),
    inputs: psbt.tx.inputs.map((input, n) => ({
      coin: `${toHex(input.prevTxid)}:${input.prevIndex}`,
      amount: psbt.inputs[n]!.amount,
      address: encodeAddress(prefix, psbt.inputs[n]!.address),
      sequence: input.sequence,
      policy: input.policy ? policyText(decodePolicyOrThrow(input.policy)) : null,
      ...status[n]!,
    })),
    outputs: psbt.tx.outputs.map((o) => ({ address: encodeAddress(prefix, o.address), amount: o.amount })),
  };
  if (opts.json) {
    io.stdout(`${toJson(view)}\n`);
    return;
  }
  io.stdout(`Transaction ${view.txid}${view.lockTime ? `, lock time ${view.lockTime}` : ''}\n`);
  for (const [n, i] of view.inputs.entries()) {
    io.stdout(`  input ${n}  ${formatCoins(i.amount)} from ${i.address}\n`);
    if (i.policy) io.stdout(`           policy ${i.policy}\n`);
    io.stdout(
      `           signed by ${i.signedBy.length ? i.signedBy.map((k) => `${k.slice(0, 8)}…`).join(', ') : 'nobody yet'}\n`,
    );
    if (i.badSignatures.length) io.stdout(`           bad signatures by ${i.badSignatures.join(', ')}\n`);
    io.stdout(`           ${i.complete ? 'complete' : `needs ${i.missing}`}\n`);
  }
  for (const [n, o] of view.outputs.entries())
    io.stdout(`  output ${n} ${formatCoins(o.amount)} to ${o.address}\n`);
  io.stdout(`  fee      ${formatCoins(view.fee)}\n`);
  io.stdout(view.complete ? 'Complete: ready to send\n' : 'Not complete yet\n');
}
