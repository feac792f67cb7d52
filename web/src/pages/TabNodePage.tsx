// A full, validating node in this tab (#/tab-node?net=<network id>&peer=<multiaddr>): it opens its chain
// from IndexedDB, dials the given full nodes over WebSockets, reaches other tabs over WebRTC through
// their relay, and mines on request. The running node is window.hashlineNode (for tests and the console).
import { useEffect, useState } from 'react';
import { type RunningBrowserNode, startBrowserNode } from '../node/browser-node.js';
import { transportOf } from '../node/browser-peering.js';
import type { BrowserNodeStatus } from '../node/types.js';

/** One node per tab and network: React may mount the page twice, the node starts once. */
let starting: { net: string; node: Promise<RunningBrowserNode> } | undefined;

function nodeFor(net: string, peers: readonly string[]): Promise<RunningBrowserNode> {
  if (starting?.net !== net) {
    const node = startBrowserNode({ networkId: net, bootstrap: peers });
    starting = { net, node };
  }
  return starting.node;
}

/** Where this tab's blocks pay: an address of no one's wallet (the class pages pay a student's). */
const MINING_ADDRESS = globalThis.crypto.getRandomValues(new Uint8Array(20));

interface PeerRow {
  readonly id: string;
  readonly transport: string;
  readonly height: number;
}

export function TabNodePage({ net, peers }: { net: string; peers: readonly string[] }) {
  const [node, setNode] = useState<RunningBrowserNode | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState<BrowserNodeStatus | undefined>();
  const [peerRows, setPeerRows] = useState<PeerRow[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!net) return;
    let cancelled = false;
    nodeFor(net, peers).then(
      (started) => {
        if (cancelled) return;
        window.hashlineNode = started;
        setNode(started);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [net, peers]);

  useEffect(() => {
    if (!node) return;
    const refresh = () => {
      setStatus(node.status());
      setPeerRows(
        node.p2p.peers().map((p) => ({ id: p.id, transport: transportOf(p.address), height: p.height })),
      );
    };
    refresh();
    const off = node.onChange(refresh);
    // Peers' heights and the hash rate change without an event of their own.
    const timer = setInterval(refresh, 1000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [node]);

  if (!net)
    return <p className="error">Give the network id: #/tab-node?net=&lt;id&gt;&amp;peer=&lt;multiaddr&gt;</p>;
  if (error)
    return (
      <p className="error" data-testid="tab-error">
        The node did not start: {error}
      </p>
    );
  if (!node || !status) return <p data-testid="tab-starting">Starting the node…</p>;

  const mineOne = async () => {
    setBusy(true);
    try {
      await node.miner.mineOne({ address: MINING_ADDRESS });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <h1>Node in this tab</h1>
      <dl className="facts">
        <dt>Network</dt>
        <dd data-testid="tab-network">{status.network}</dd>
        <dt>Peer id</dt>
        <dd data-testid="tab-peer-id">{status.peerId}</dd>
        <dt>Height</dt>
        <dd data-testid="tab-height">{status.height}</dd>
        <dt>Tip</dt>
        <dd data-testid="tab-tip">
          <code>{status.tip}</code>
        </dd>
        <dt>Peers</dt>
        <dd data-testid="tab-peers">{status.peers}</dd>
        <dt>Mining</dt>
        <dd data-testid="tab-mining">{status.mining ? `yes, ${Math.round(status.hashRate)} H/s` : 'no'}</dd>
      </dl>
      <p>
        <button type="button" className="btn" disabled={busy} onClick={mineOne} data-testid="tab-mine-one">
          Mine one block
        </button>{' '}
        <button
          type="button"
          className="btn"
          disabled={status.mining}
          onClick={() => node.startMining(MINING_ADDRESS)}
          data-testid="tab-start-mining"
        >
          Start mining
        </button>{' '}
        <button
          type="button"
          className="btn"
          disabled={!status.mining}
          onClick={() => node.stopMining()}
          data-testid="tab-stop-mining"
        >
          Stop mining
        </button>
      </p>
      <h2>Peers</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Peer</th>
            <th>Transport</th>
            <th>Height</th>
          </tr>
        </thead>
        <tbody>
          {peerRows.map((p) => (
            <tr key={p.id} data-testid="tab-peer" data-peer={p.id} data-transport={p.transport}>
              <td>
                <code>{p.id}</code>
              </td>
              <td data-testid="tab-peer-transport">{p.transport}</td>
              <td>{p.height >= 0 ? p.height : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
