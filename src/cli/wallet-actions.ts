// The wallet subcommands' implementations, loaded only when one of them runs.
import type { Command } from 'commander';
import { fromHex, isHex } from '../core/bytes.js';
import { type AddressChain, CHANGE_CHAIN, hashlinePath, RECEIVE_CHAIN } from '../crypto/hd.js';
import { KeystoreError } from '../crypto/keystore.js';
import { MnemonicError } from '../crypto/mnemonic.js';
import { formatCoins, parseCoins } from '../wallet/amount.js';
import { buildBump, pendingTxOf } from '../wallet/bump.js';
import { NodeApiError, WalletError } from '../wallet/errors.js';
import { checkSendRequest, sendPayment } from '../wallet/send.js';
import { listWallets, readWalletFile, resolveWalletDir } from '../wallet/store.js';
import type { WalletCliIo } from './wallet.js';
import { createOrImport } from './wallet-create.js';
import { type CommonOptions, optionsOf, pad, padStart, Session, toJson } from './wallet-shared.js';

async function addressCommand(
  opts: CommonOptions & { new?: boolean; index?: string; change?: boolean; list?: boolean },
  io: WalletCliIo,
): Promise<void> {
  const session = await Session.open(opts, io);
  const chain: AddressChain = opts.change ? CHANGE_CHAIN : RECEIVE_CHAIN;
  const next = (): number =>
    chain === RECEIVE_CHAIN ? session.data.nextReceiveIndex : session.data.nextChangeIndex;
  if (opts.list) {
    const count = Math.max(next() + 1, 1);
    const rows = await Promise.all(
      Array.from({ length: count }, async (_, index) => ({
        index,
        address: await session.address(chain, index),
      })),
    );
    if (opts.json)
      io.stdout(`${toJson({ chain: chain === RECEIVE_CHAIN ? 'receive' : 'change', addresses: rows })}\n`);
    else for (const r of rows) io.stdout(`${padStart(String(r.index), 5)}  ${r.address}\n`);
    return;
  }
  let index: number;
  if (opts.index !== undefined) {
    index = Number(opts.index);
    if (!Number.isInteger(index) || index < 0 || index >= 0x80000000) {
      throw new WalletError('bad-option', `--index ${opts.index} is not an address index`);
    }
  } else {
    if (opts.new) {
      await session.update(
        chain === RECEIVE_CHAIN ? { nextReceiveIndex: next() + 1 } : { nextChangeIndex: next() + 1 },
      );
    }
    index = next();
  }
  const address = await session.address(chain, index);
  await session.update({});
  const path = hashlinePath(session.data.account, chain, index);
  if (opts.json)
    io.stdout(`${toJson({ address, index, chain: chain === RECEIVE_CHAIN ? 'receive' : 'change', path })}\n`);
  else io.stdout(`${address}\n`);
}

async function balanceCommand(opts: CommonOptions & { addresses?: boolean }, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const status = await session.nodeStatus();
  const scan = await session.scan();
  const receive = await session.address(RECEIVE_CHAIN, session.data.nextReceiveIndex);
  if (opts.json) {
    io.stdout(
      `${toJson({
        wallet: session.data.name,
        network: session.data.network,
        height: status.height,
        balance: scan.balance,
        coins: scan.coins.length,
        receiveAddress: receive,
        ...(opts.addresses ? { addresses: scan.addresses } : {}),
      })}\n`,
    );
    return;
  }
  io.stdout(
    `Wallet "${session.data.name}" (${session.data.network}), node ${session.client.baseUrl} at height ${status.height}\n`,
  );
  io.stdout(`  confirmed    ${formatCoins(scan.balance.confirmed)}\n`);
  io.stdout(`  unconfirmed  ${formatCoins(scan.balance.unconfirmed)}\n`);
  io.stdout(
    `  spendable    ${formatCoins(scan.balance.spendable)}  (${scan.coins.filter((c) => c.spendable).length} coins)\n`,
  );
  if (opts.addresses) {
    io.stdout('\n');
    for (const a of scan.addresses) {
      const label = `${a.chain === RECEIVE_CHAIN ? 'receive' : 'change'} #${a.index}`;
      io.stdout(`  ${pad(label, 14)} ${a.address}  ${formatCoins(a.confirmed)}  (${a.txCount} tx)\n`);
    }
  }
  io.stdout(`Receive address: ${receive}\n`);
}

/** The estimate each --fee-rate word names (GET /api/v1/fees). */
const FEE_CHOICES = { fast: 'nextBlock', normal: 'within3Blocks', slow: 'within6Blocks' } as const;
type FeeChoice = keyof typeof FEE_CHOICES;

/**
 * --fee-rate: a whole number of base units per byte, or fast | normal | slow (the node's estimate for
 * 1, 3 or 6 blocks). A node without /api/v1/fees falls back to its minimum relay fee rate.
 */
export async function resolveFeeRate(
  session: Session,
  text: string | undefined,
  fallback: FeeChoice,
  minFeeRate: unknown,
): Promise<bigint> {
  const choice = (text ?? fallback).trim();
  if (/^\d+$/.test(choice)) return BigInt(choice);
  if (!(choice in FEE_CHOICES)) {
    throw new WalletError(
      'bad-fee-rate',
      `--fee-rate "${text}" is neither a whole number of base units per byte nor fast, normal or slow`,
    );
  }
  try {
    const fees = await session.client.fees();
    return BigInt(fees[FEE_CHOICES[choice as FeeChoice]]);
  } catch (e) {
    if (!(e instanceof NodeApiError)) throw e;
    const min = typeof minFeeRate === 'number' && Number.isFinite(minFeeRate) ? Math.ceil(minFeeRate) : 1;
    return BigInt(Math.max(1, min));
  }
}

async function sendCommand(
  to: string,
  amountText: string,
  opts: CommonOptions & { feeRate?: string; data?: string; dataHex?: string; dryRun?: boolean },
  io: WalletCliIo,
): Promise<void> {
  const session = await Session.open(opts, io);
  const amount = parseCoins(amountText);
  // Refuse what is wrong on its face before asking the node anything.
  checkSendRequest(session.params, { to, amount, feeRate: 0n });
  if (opts.data !== undefined && opts.dataHex !== undefined) {
    throw new WalletError('bad-data', 'give either --data or --data-hex, not both');
  }
  if (opts.dataHex !== undefined && !isHex(opts.dataHex)) {
    throw new WalletError('bad-data', '--data-hex must be an even number of hex digits');
  }
  const data = opts.dataHex !== undefined ? fromHex(opts.dataHex) : opts.data;
  const status = await session.nodeStatus();
  const feeRate = await resolveFeeRate(session, opts.feeRate, 'normal', status.mempool?.minFeeRate);
  const { built } = await sendPayment(sendDeps(session), { to, amount, feeRate, data, dryRun: opts.dryRun });
  const summary = {
    txid: built.txid,
    sent: !opts.dryRun,
    to,
    amount,
    fee: built.fee,
    feeRate,
    size: built.size,
    inputs: built.inputs.length,
    change: built.change ?? null,
    ...(opts.dryRun ? { hex: built.hex } : {}),
  };
  if (opts.json) {
    io.stdout(`${toJson(summary)}\n`);
    return;
  }
  io.stdout(`${opts.dryRun ? 'Signed, not sent (--dry-run)' : 'Sent'}: ${formatCoins(amount)} to ${to}\n`);
  io.stdout(`  txid    ${built.txid}\n`);
  io.stdout(`  fee     ${formatCoins(built.fee)} (${built.size} bytes at ${feeRate} units/byte)\n`);
  if (built.change) io.stdout(`  change  ${formatCoins(built.change.amount)} to ${built.change.address}\n`);
  if (opts.dryRun) io.stdout(`  hex     ${built.hex}\n`);
}

async function bumpCommand(
  id: string,
  opts: CommonOptions & { feeRate?: string; dryRun?: boolean },
  io: WalletCliIo,
): Promise<void> {
  const session = await Session.open(opts, io);
  if (!isHex(id, 32)) throw new WalletError('bad-option', `"${id}" is not a txid (64 hex characters)`);
  const status = await session.nodeStatus();
  const original = pendingTxOf(await session.client.tx(id.toLowerCase()));
  const feeRate = await resolveFeeRate(session, opts.feeRate, 'fast', status.mempool?.minFeeRate);
  const scan = await session.scan();
  const mine = new Map(scan.addresses.map((a) => [a.address, a]));
  const wallet = await session.unlock();
  const built = buildBump({
    params: session.params,
    original,
    feeRate,
    minFeeRate: status.mempool.minFeeRate,
    isChange: (address) => mine.get(address)?.chain === CHANGE_CHAIN,
    keyFor: (address) => {
      const a = mine.get(address);
      return a ? wallet.key(a.chain, a.index) : undefined;
    },
    extraCoins: scan.coins.filter((c) => c.spendable && c.height !== null),
    changeAddress: wallet.changeAddress(scan.nextChangeIndex),
  });
  if (!opts.dryRun) await session.client.postTx(built.hex);
  const summary = {
    replaced: original.txid,
    txid: built.txid,
    sent: !opts.dryRun,
    fee: built.fee,
    oldFee: original.fee,
    feeRate: Number(built.fee) / built.size,
    size: built.size,
    ...(opts.dryRun ? { hex: built.hex } : {}),
  };
  if (opts.json) {
    io.stdout(`${toJson(summary)}\n`);
    return;
  }
  io.stdout(`${opts.dryRun ? 'Signed, not sent (--dry-run)' : 'Replaced'}: ${original.txid}\n`);
  io.stdout(`  txid    ${built.txid}\n`);
  io.stdout(
    `  fee     ${formatCoins(built.fee)} (was ${formatCoins(original.fee)}; ${built.size} bytes at ${summary.feeRate.toFixed(2)} units/byte)\n`,
  );
  if (opts.dryRun) io.stdout(`  hex     ${built.hex}\n`);
}

async function historyCommand(opts: CommonOptions & { limit?: string }, io: WalletCliIo): Promise<void> {
  const session = await Session.open(opts, io);
  const limit = Number(opts.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1)
    throw new WalletError('bad-option', '--limit must be a positive integer');
  await session.nodeStatus();
  const scan = await session.scan(Math.max(limit, 100));
  const entries = scan.history.slice(0, limit);
  if (opts.json) {
    io.stdout(
      `${toJson({ history: entries, complete: scan.historyComplete && entries.length === scan.history.length })}\n`,
    );
    return;
  }
  if (entries.length === 0) {
    io.stdout('No transactions yet.\n');
    return;
  }
  io.stdout(`${pad('height', 10)}${pad('time (UTC)', 22)}${padStart('amount', 20)}  txid\n`);
  for (const h of entries) {
    const time = h.time === null ? '' : new Date(h.time * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const amount = `${h.delta > 0n ? '+' : ''}${formatCoins(h.delta)}`;
    io.stdout(
      `${pad(h.height === null ? 'mempool' : String(h.height), 10)}${pad(time, 22)}${padStart(amount, 20)}  ${h.txid}\n`,
    );
  }
  if (!scan.historyComplete || scan.history.length > entries.length) io.stdout('(older entries not shown)\n');
}

async function listCommand(opts: CommonOptions, io: WalletCliIo): Promise<void> {
  const dir = resolveWalletDir(opts.walletDir, io.env);
  const names = await listWallets(dir);
  const rows = await Promise.all(
    names.map(async (name) => {
      try {
        const file = await readWalletFile(dir, name);
        return {
          name,
          network: file.network as string,
          address: file.addresses.receive[file.nextReceiveIndex] ?? null,
        };
      } catch {
        return { name, network: 'unreadable', address: null };
      }
    }),
  );
  if (opts.json) io.stdout(`${toJson({ dir, wallets: rows })}\n`);
  else if (rows.length === 0) io.stdout(`No wallets in ${dir}\n`);
  else for (const r of rows) io.stdout(`${pad(r.name, 20)}${pad(r.network, 10)}${r.address ?? ''}\n`);
}

/** Errors the user can act on are printed as one line; anything else is a bug and keeps its stack. */
function userMessage(e: unknown): string | undefined {
  if (e instanceof NodeApiError) return `the node refused: ${e.message}`;
  if (e instanceof WalletError || e instanceof KeystoreError || e instanceof MnemonicError) return e.message;
  return undefined;
}

export type Options = CommonOptions & Record<string, unknown>;

const ACTIONS = {
  create: (opts: Options, _args: string[], io: WalletCliIo) => createOrImport(opts, io, false),
  import: (opts: Options, _args: string[], io: WalletCliIo) => createOrImport(opts, io, true),
  address: (opts: Options, _args: string[], io: WalletCliIo) => addressCommand(opts, io),
  balance: (opts: Options, _args: string[], io: WalletCliIo) => balanceCommand(opts, io),
  send: (opts: Options, [to, amount]: string[], io: WalletCliIo) => sendCommand(to!, amount!, opts, io),
  bump: (opts: Options, [id]: string[], io: WalletCliIo) => bumpCommand(id!, opts, io),
  history: (opts: Options, _args: string[], io: WalletCliIo) => historyCommand(opts, io),
  list: (opts: Options, _args: string[], io: WalletCliIo) => listCommand(opts, io),
};

export type WalletAction = keyof typeof ACTIONS;

/**
 * Runs a subcommand with what commander passed its action (arguments, options, the command) and the
 * merged options; user errors become `error: …` and exit code 1.
 */
export async function runWalletAction(
  name: WalletAction,
  received: unknown[],
  io: WalletCliIo,
): Promise<void> {
  await runWalletFunction(ACTIONS[name], received, io);
}

/** Runs a wallet subcommand's function the same way (the policy and psbt commands use it). */
export async function runWalletFunction(
  fn: (opts: Options, args: string[], io: WalletCliIo) => Promise<void>,
  received: unknown[],
  io: WalletCliIo,
): Promise<void> {
  const cmd = received[received.length - 1] as Command;
  try {
    await fn(optionsOf<Options>(cmd), received.slice(0, -2) as string[], io);
  } catch (e) {
    const message = userMessage(e);
    if (message === undefined) throw e;
    const code = e instanceof WalletError || e instanceof KeystoreError ? e.code : 'invalid-mnemonic';
    cmd.error(`error: ${message}`, { exitCode: 1, code: `hashline.wallet.${code}` });
  }
}

/** What sendPayment needs of a wallet session: its network, node, keys, and where it saves its indexes. */
export function sendDeps(session: Session): Parameters<typeof sendPayment>[0] {
  return {
    params: session.params,
    client: session.client,
    addressAt: session.address,
    scan: {
      nextReceiveIndex: session.data.nextReceiveIndex,
      nextChangeIndex: session.data.nextChangeIndex,
    },
    unlock: () => session.unlock(),
    saveIndexes: (indexes) => session.update(indexes),
  };
}
