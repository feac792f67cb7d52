// Peers: who this node talks to, adding one by URL or multiaddr, and the classic "resolve" consensus call.
import { type FormEvent, useState } from 'react';
import { api, apiToken, errorText } from '../api/client.js';
import { useNode } from '../api/node.js';
import type { PeerAddedJson, PeerJson } from '../api/types.js';
import { useApi } from '../api/use-api.js';
import { BansCard } from '../components/BansCard.js';
import { ChainExportCard } from '../components/ChainExportCard.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { HttpPeersCard } from '../components/HttpPeersCard.js';
import { TopologyCard } from '../components/TopologyCard.js';
import {
  Badge,
  Card,
  CopyButton,
  Empty,
  ErrorBox,
  Fact,
  Facts,
  HashLink,
  Loading,
} from '../components/ui.js';
import { plural } from '../lib/plural.js';
import { href } from '../lib/route.js';

const PEER_COLUMNS: readonly Column<PeerJson>[] = [
  {
    label: 'Peer',
    cell: (p) => (
      <code title={p.id}>{p.id.length > 16 ? `${p.id.slice(0, 8)}…${p.id.slice(-6)}` : p.id}</code>
    ),
  },
  {
    label: 'Address',
    // The peer id is in the first column already. An inbound peer's connection comes from an ephemeral
    // port: where it listens (its signed record) is the address worth showing.
    cell: (p) => <PeerAddress peer={p} />,
  },
  { label: 'Direction', cell: (p) => p.direction },
  { label: 'Height', num: true, cell: (p) => (p.height >= 0 ? p.height : '–') },
  { label: 'Score', num: true, cell: (p) => <Badge kind={p.score < 0 ? 'bad' : 'ok'}>{p.score}</Badge> },
  {
    label: 'Tip',
    cell: (p) => (p.tipHash ? <HashLink hash={p.tipHash} to={href.block(p.tipHash)} /> : '–'),
  },
];

function PeerAddress({ peer }: { peer: PeerJson }) {
  const strip = (a: string) => a.replace(/\/p2p\/[^/]+$/, '');
  const listen = peer.direction === 'inbound' ? peer.listenAddrs?.[0] : undefined;
  if (!listen) {
    return (
      <code className="hash" title={peer.address}>
        {strip(peer.address)}
      </code>
    );
  }
  return (
    <code className="hash" title={`listens on ${listen}; connected from ${peer.address}`}>
      {strip(listen)} <span className="muted">(listens)</span>
    </code>
  );
}

/** What the Add peer form says once the node answered: an http URL may be registered yet unreachable. */
function addedText(address: string, answer: PeerAddedJson): { ok: boolean; text: string } {
  const r = answer.registered;
  if (!r || r.connected) return { ok: true, text: `Added ${address}: connected.` };
  return {
    ok: false,
    text: `Registered ${address}, but it cannot be reached: ${r.lastError ?? 'no answer'}. The node keeps trying; remove it under Registered URLs if it is wrong.`,
  };
}

const SYNC_BADGES = {
  syncing: 'warn',
  'in sync': 'ok',
  'no peers': 'bad',
  alone: 'info',
} as const;

export function NetworkPage() {
  const { status, chainVersion, refresh } = useNode();
  const peers = useApi('getPeers', {}, chainVersion + (status?.peers ?? 0) * 1_000_000);
  const [address, setAddress] = useState('');
  const [adding, setAdding] = useState(false);
  const [addResult, setAddResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [resolving, setResolving] = useState(false);
  const [resolveResult, setResolveResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [token, setToken] = useState(apiToken.get());
  const [tokenSaved, setTokenSaved] = useState(false);

  const addPeer = async (e: FormEvent) => {
    e.preventDefault();
    const a = address.trim();
    if (a === '') {
      setAddResult({ ok: false, text: 'Enter a peer address, e.g. http://127.0.0.1:5001 or a multiaddr.' });
      return;
    }
    if (!/^https?:\/\/[^\s/]+/.test(a) && !a.startsWith('/')) {
      setAddResult({
        ok: false,
        text: 'Give an http:// URL (http://127.0.0.1:5001) or a multiaddr (/ip4/…).',
      });
      return;
    }
    setAdding(true);
    setAddResult(null);
    try {
      setAddResult(addedText(a, await api.addPeer({ body: { address: a } })));
      setAddress('');
      peers.reload();
      refresh();
    } catch (err) {
      setAddResult({ ok: false, text: errorText(err) });
    } finally {
      setAdding(false);
    }
  };

  const resolve = async () => {
    setResolving(true);
    setResolveResult(null);
    try {
      const r = await api.resolveNodes();
      const length = (r.new_chain ?? r.chain)?.length;
      setResolveResult({
        ok: true,
        text: `${r.message}${length !== undefined ? ` (${plural(length, 'block')})` : ''}.`,
      });
      refresh();
    } catch (err) {
      setResolveResult({ ok: false, text: errorText(err) });
    } finally {
      setResolving(false);
    }
  };

  const list = peers.data?.peers ?? [];
  return (
    <div className="page">
      <h1>Network</h1>
      <Card title="This node">
        {!status ? (
          <Loading what="Waiting for the node" />
        ) : (
          <Facts>
            <Fact label="Network">
              {status.network}
              {status.networkId && (
                <>
                  {' '}
                  id <code data-testid="network-id">{status.networkId}</code>
                </>
              )}
            </Fact>
            <Fact label="Version">{status.version}</Fact>
            <Fact label="Height">
              <a href={href.block(status.height)}>#{status.height}</a>
            </Fact>
            <Fact label="Tip">
              <HashLink hash={status.tip} to={href.block(status.tip)} />
            </Fact>
            {status.p2p && (
              <Fact label="Peer id">
                <code className="hash hash-full" data-testid="peer-id">
                  {status.p2p.peerId}
                </code>{' '}
                <CopyButton text={status.p2p.peerId} />
              </Fact>
            )}
            {status.p2p && status.p2p.addrs.length > 0 && (
              <Fact label="Listening on">
                <ul className="plain-list">
                  {status.p2p.addrs.map((a) => (
                    <li key={a}>
                      <code className="hash hash-full">{a}</code>
                    </li>
                  ))}
                </ul>
              </Fact>
            )}
            {status.sync && (
              <Fact label="Sync">
                {status.sync.syncing ? (
                  <>
                    <Badge kind="warn">syncing</Badge> {Math.round(status.sync.progress * 100)}% of{' '}
                    {status.sync.peerHeight}
                  </>
                ) : (
                  <span data-testid="sync-state">
                    <Badge kind={SYNC_BADGES[status.sync.state]}>{status.sync.state}</Badge>
                    {status.sync.state === 'no peers' && (
                      <span className="muted">
                        {' '}
                        none of the peers it was given answers: see Registered URLs
                      </span>
                    )}
                  </span>
                )}
              </Fact>
            )}
          </Facts>
        )}
      </Card>
      <TopologyCard version={chainVersion + (status?.peers ?? 0) * 1_000_000} />
      <HttpPeersCard peers={peers.data?.httpPeers ?? []} onChange={peers.reload} />
      <BansCard bans={peers.data?.bans ?? []} onChange={peers.reload} />
      <ChainExportCard />

      <Card title={`Peers (${list.length})`} testId="peers">
        {peers.error && !peers.data ? (
          <ErrorBox error={peers.error} />
        ) : !peers.data ? (
          <Loading what="Loading peers" />
        ) : list.length === 0 ? (
          <Empty>No peers yet. Add one below to share blocks and transactions.</Empty>
        ) : (
          <DataTable
            columns={PEER_COLUMNS}
            rows={list}
            rowKey={(p) => p.id}
            rowTestId="peer-row"
            label="Peers"
          />
        )}
      </Card>

      <div className="two-col">
        <Card title="Add a peer">
          <form className="form" onSubmit={addPeer}>
            <div className="field">
              <label htmlFor="peer-address">Peer URL or multiaddr</label>
              <input
                id="peer-address"
                data-testid="peer-address"
                value={address}
                onChange={(e) => setAddress(e.target.value)}
                placeholder="http://127.0.0.1:5001"
                spellCheck={false}
                autoComplete="off"
              />
            </div>
            <button type="submit" className="btn btn-primary" disabled={adding} data-testid="add-peer">
              {adding ? 'Adding…' : 'Add peer'}
            </button>
            {addResult && (
              <p
                className={addResult.ok ? 'alert alert-ok' : 'alert alert-error'}
                role="status"
                data-testid="add-peer-result"
              >
                {addResult.text}
              </p>
            )}
          </form>
        </Card>
        <Card title="Consensus">
          <p>
            <strong>Resolve</strong> asks every peer for its chain and adopts the one with the most work, if
            it is valid and beats ours: the most-work rule (not the longest list), on demand.
          </p>
          <button type="button" className="btn" onClick={resolve} disabled={resolving} data-testid="resolve">
            {resolving ? 'Resolving…' : 'Resolve conflicts'}
          </button>
          {resolveResult && (
            <p
              className={resolveResult.ok ? 'alert alert-ok' : 'alert alert-error'}
              role="status"
              data-testid="resolve-result"
            >
              {resolveResult.text}
            </p>
          )}
        </Card>
      </div>

      <Card title="API token">
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            apiToken.set(token);
            setTokenSaved(true);
          }}
        >
          <p className="hint">
            Only needed when the node listens beyond this machine or runs with <code>--require-token</code>:
            its operator actions and reads (node wallet, peers, miner) then need the token in{' '}
            <code>&lt;data-dir&gt;/.cookie</code>. It is kept for this tab only and forgotten when it closes.
          </p>
          <div className="row">
            <label htmlFor="api-token" className="sr-only">
              API token
            </label>
            <input
              id="api-token"
              type="password"
              value={token}
              onChange={(e) => {
                setToken(e.target.value);
                setTokenSaved(false);
              }}
              placeholder="token"
              autoComplete="off"
            />
            <button type="submit" className="btn">
              Save
            </button>
            {tokenSaved && <span className="muted">Saved.</span>}
          </div>
        </form>
      </Card>
    </div>
  );
}
