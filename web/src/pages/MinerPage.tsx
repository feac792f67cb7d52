// Mining: one block now, continuous mining on/off, hash rate, blocks found, and the mempool by fee rate.
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, errorText } from '../api/client.js';
import { useNode } from '../api/node.js';
import { useApi } from '../api/use-api.js';
import { FoundBlocksTable, MempoolTable } from '../components/MinerTables.js';
import { NextBlockCard } from '../components/NextBlockCard.js';
import { Badge, Card, Empty, ErrorBox, HashLink, Loading, Stat } from '../components/ui.js';
import { formatHashRate } from '../lib/format.js';
import { plural } from '../lib/plural.js';
import { href } from '../lib/route.js';
import { walletReceiveAddress } from '../wallet/storage.js';
import { useNow } from './ExplorerPage.js';

type Target = 'node' | 'wallet' | 'custom';

// The node accepts 1..256 worker threads (POST /api/v1/miner/start).
const MIN_THREADS = 1;
const MAX_THREADS = 256;
const clampThreads = (n: number) =>
  Math.max(MIN_THREADS, Math.min(MAX_THREADS, Math.floor(n) || MIN_THREADS));

function useTicker(active: boolean, ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return tick;
}

export function MinerPage() {
  const { status, chainVersion, mempoolVersion, refresh, addressPrefix } = useNode();
  const now = useNow();
  const live = useTicker(status?.mining === true, 2000);
  const miner = useApi('getMiner', {}, chainVersion * 100_000 + live);
  const mempool = useApi('getMempool', {}, mempoolVersion);
  const myAddress = walletReceiveAddress(status?.network);
  const [target, setTarget] = useState<Target>(() => (walletReceiveAddress(undefined) ? 'wallet' : 'node'));
  const [custom, setCustom] = useState('');
  // The node's own thread count until the operator types another.
  const [threadsInput, setThreads] = useState<number | null>(null);
  const nodeThreads = miner.data?.threads ?? status?.threads;
  const threads = threadsInput ?? nodeThreads ?? 1;
  const [busy, setBusy] = useState<'mine' | 'start' | 'stop' | null>(null);
  const [result, setResult] = useState<{ kind: 'ok' | 'error'; text: ReactNode } | null>(null);

  const address =
    target === 'wallet' ? (myAddress ?? undefined) : target === 'custom' ? custom.trim() : undefined;
  const addressProblem =
    target === 'custom' &&
    addressPrefix &&
    custom.trim() !== '' &&
    !custom.trim().startsWith(`${addressPrefix}1`)
      ? `Addresses on this network start with ${addressPrefix}1`
      : null;

  const act = async (kind: 'mine' | 'start' | 'stop', e?: FormEvent) => {
    e?.preventDefault();
    if (target === 'custom' && custom.trim() === '' && kind !== 'stop') {
      setResult({ kind: 'error', text: 'Enter the address to mine to.' });
      return;
    }
    setBusy(kind);
    setResult(null);
    try {
      if (kind === 'mine') {
        const block = await api.mine({ body: address ? { address } : {} });
        setResult({
          kind: 'ok',
          text: (
            <>
              Mined block{' '}
              <a href={href.block(block.height)} data-testid="mined-block-link">
                #{block.height}
              </a>{' '}
              with nonce {block.nonce}: <HashLink hash={block.hash} to={href.block(block.hash)} />
            </>
          ),
        });
      } else if (kind === 'start') {
        await api.startMiner({ body: { threads, ...(address ? { address } : {}) } });
        setResult({ kind: 'ok', text: `Mining with ${plural(threads, 'thread')}.` });
        setThreads(null);
      } else {
        await api.stopMiner();
        setResult({ kind: 'ok', text: 'Mining stopped.' });
      }
    } catch (err) {
      setResult({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(null);
      refresh();
      miner.reload();
    }
  };

  const m = miner.data;
  const mining = m?.mining ?? status?.mining ?? false;
  return (
    <div className="page">
      <h1>Miner</h1>
      <div className="stats">
        <Stat
          label="Status"
          value={mining ? <Badge kind="ok">mining</Badge> : <Badge kind="info">idle</Badge>}
          testId="miner-status"
        />
        <Stat
          label="Hash rate"
          value={mining ? formatHashRate(m?.hashRate ?? status?.hashRate ?? 0) : 'idle'}
          testId="miner-hashrate"
        />
        <Stat label="Threads" value={nodeThreads ?? '–'} testId="miner-threads" />
        <Stat label="Kernel" value={m?.kernel ?? status?.kernel ?? '–'} />
      </div>

      <Card title="Mine">
        <form className="form" onSubmit={(e) => act('mine', e)}>
          <fieldset className="choices">
            <legend>Reward goes to</legend>
            <label>
              <input
                type="radio"
                name="target"
                checked={target === 'node'}
                onChange={() => setTarget('node')}
              />{' '}
              the node's own wallet{m?.address ? ` (${m.address.slice(0, 16)}…)` : ''}
            </label>
            <label className={myAddress === null ? 'disabled' : undefined}>
              <input
                type="radio"
                name="target"
                checked={target === 'wallet'}
                disabled={myAddress === null}
                onChange={() => setTarget('wallet')}
                data-testid="target-wallet"
              />{' '}
              my browser wallet
              {myAddress ? ` (${myAddress.slice(0, 16)}…)` : ' (create one on the Wallet page)'}
            </label>
            <label>
              <input
                type="radio"
                name="target"
                checked={target === 'custom'}
                onChange={() => setTarget('custom')}
                data-testid="target-custom"
              />{' '}
              another address
            </label>
          </fieldset>
          {target === 'custom' && (
            <div className="field">
              <label htmlFor="mine-address">Address</label>
              <input
                id="mine-address"
                data-testid="mine-address"
                value={custom}
                onChange={(e) => setCustom(e.target.value)}
                placeholder={addressPrefix ? `${addressPrefix}1…` : 'address'}
                spellCheck={false}
                autoComplete="off"
              />
              {addressProblem && <p className="field-error">{addressProblem}</p>}
            </div>
          )}
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={busy !== null} data-testid="mine-one">
              {busy === 'mine' ? 'Mining…' : 'Mine one block'}
            </button>
            <span className="sep" />
            <label htmlFor="threads" className="inline-label">
              Threads
            </label>
            <input
              id="threads"
              type="number"
              min={MIN_THREADS}
              max={MAX_THREADS}
              value={threads}
              onChange={(e) => setThreads(clampThreads(Number(e.target.value)))}
              className="input-narrow"
              data-testid="miner-threads-input"
            />
            {mining && threads !== nodeThreads && (
              <button
                type="button"
                className="btn"
                onClick={() => act('start')}
                disabled={busy !== null}
                data-testid="miner-apply-threads"
              >
                Use {plural(threads, 'thread')}
              </button>
            )}
            {mining ? (
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => act('stop')}
                disabled={busy !== null}
                data-testid="miner-stop"
              >
                {busy === 'stop' ? 'Stopping…' : 'Stop mining'}
              </button>
            ) : (
              <button
                type="button"
                className="btn"
                onClick={() => act('start')}
                disabled={busy !== null}
                data-testid="miner-start"
              >
                {busy === 'start' ? 'Starting…' : 'Start mining'}
              </button>
            )}
          </div>
          {result && (
            <p
              className={result.kind === 'ok' ? 'alert alert-ok' : 'alert alert-error'}
              role={result.kind === 'ok' ? 'status' : 'alert'}
              data-testid="miner-result"
            >
              {result.text}
            </p>
          )}
        </form>
      </Card>

      <NextBlockCard />
      {/* Full width: who pays whom how much needs the room. */}
      <Card title={`Mempool (${mempool.data?.count ?? status?.mempool.count ?? 0})`} testId="mempool">
        {mempool.error && !mempool.data ? (
          <ErrorBox error={mempool.error} />
        ) : !mempool.data ? (
          <Loading what="Loading mempool" />
        ) : mempool.data.txs.length === 0 ? (
          <Empty>The mempool is empty: no transactions are waiting.</Empty>
        ) : (
          <MempoolTable txs={mempool.data.txs} />
        )}
      </Card>
      <Card title="Blocks found by this node" testId="found-blocks">
        {miner.error && !m ? (
          <ErrorBox error={miner.error} />
        ) : !m ? (
          <Loading what="Loading miner" />
        ) : m.found.length === 0 ? (
          <Empty>No blocks found yet. Mine one!</Empty>
        ) : (
          <FoundBlocksTable blocks={m.found} now={now} />
        )}
      </Card>
    </div>
  );
}
