// Network ids (docs/protocol.md, "Network ids"): two dev nodes of one id sync; a node of another id is
// refused by both sides with the reason logged at info and listed on its registered URL, and a data
// directory of one id is not opened as another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanupNodesAfterAll,
  getJson,
  mine,
  type NodeProcess,
  runCli,
  startNode,
  waitFor,
  waitForHeight,
} from '../support/node-process.js';

cleanupNodesAfterAll();

/** Parsed JSON log lines of a node (the node logs JSON when its output is not a terminal). */
function logLines(node: NodeProcess): { level: number; msg: string }[] {
  return node
    .logs()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });
}

describe('dev networks with ids', () => {
  let labA: NodeProcess;
  let labA2: NodeProcess;
  let labB: NodeProcess;

  beforeAll(async () => {
    labA = await startNode({ network: 'dev', args: ['--network-id', 'lab-a', '--min-peers', '0'] });
    const a = await getJson(labA.url, '/api/v1/status');
    labA2 = await startNode({
      network: 'dev',
      args: ['--network-id', 'lab-a', '--min-peers', '0', '--peer', a.p2p.addrs[0]],
    });
    // By http URL, as a student would give it: the refusal is then listed on the registered URL too.
    labB = await startNode({
      network: 'dev',
      args: ['--network-id', 'lab-b', '--min-peers', '0', '--peer', labA.url],
    });
  }, 120_000);

  it('each id has its own genesis, told in the status', async () => {
    const [a, a2, b] = await Promise.all([labA, labA2, labB].map((n) => getJson(n.url, '/api/v1/status')));
    expect(a.network).toBe('dev');
    expect(a.networkId).toBe('lab-a');
    expect(b.networkId).toBe('lab-b');
    expect(a2.genesis).toBe(a.genesis);
    expect(b.genesis).not.toBe(a.genesis);
  });

  it('two nodes of one id sync', async () => {
    const [hash] = await mine(labA.url, 2);
    expect(hash).toBeDefined();
    const synced = await waitForHeight(labA2.url, 2, 60_000);
    expect(synced.tip).toBe((await getJson(labA.url, '/api/v1/status')).tip);
    expect(synced.sync.state).toBe('in sync');
  });

  it("lists an inbound peer with where it listens, not only its connection's ephemeral port", async () => {
    const a2 = await getJson(labA2.url, '/api/v1/status');
    const inbound = await waitFor(async () => {
      const peers = (await getJson(labA.url, '/api/v1/peers')).peers;
      const peer = peers.find((p: { id: string }) => p.id === a2.p2p.peerId);
      return peer?.listenAddrs ? peer : undefined;
    }, 'lab-a to know where lab-a2 listens');
    expect(inbound.direction).toBe('inbound');
    expect(inbound.address).not.toContain(`/tcp/${labA2.p2pPort}`);
    expect(inbound.listenAddrs.some((a: string) => a.includes(`/tcp/${labA2.p2pPort}`))).toBe(true);
  });

  it('hashline chain verify recognises the store of a network id', async () => {
    await labA2.stop();
    const r = await runCli(['chain', 'verify', '--data-dir', labA2.dataDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^OK: dev-lab-a chain of 3 blocks is valid/m);
  });

  it('a node of another id is refused both ways, with the reason logged at info and listed', async () => {
    const reason =
      /peer is on another network: dev-lab-a \(genesis [0-9a-f]{8}…\), this node is on dev-lab-b/;
    const peers = await waitFor(
      async () => {
        const p = await getJson(labB.url, '/api/v1/peers');
        return p.httpPeers[0]?.lastError ? p : undefined;
      },
      'lab-b to try lab-a',
      { timeoutMs: 30_000 },
    );
    expect(peers.httpPeers[0]).toMatchObject({ url: labA.url, connected: false });
    expect(peers.httpPeers[0].lastError).toMatch(reason);
    expect(peers.peers).toEqual([]);

    const info = (node: NodeProcess, re: RegExp) =>
      logLines(node).filter((l) => l.level === 30 && re.test(l.msg));
    await waitFor(() => info(labB, reason).length > 0, "lab-b's info line");
    expect(info(labB, /^peer unreachable: .*another network: dev-lab-a/)).toHaveLength(1);
    await waitFor(
      () =>
        info(
          labA,
          /peer is on another network: dev-lab-b \(genesis [0-9a-f]{8}…\), this node is on dev-lab-a/,
        ).length > 0,
      "lab-a's info line",
    );
    // Neither side keeps the other; lab-b, given a peer and connected to none, says so.
    expect((await getJson(labA.url, '/api/v1/peers')).peers.map((p: { id: string }) => p.id)).not.toContain(
      (await getJson(labB.url, '/api/v1/status')).p2p.peerId,
    );
    const b = await getJson(labB.url, '/api/v1/status');
    expect(b.height).toBe(0);
    expect(b.peers).toBe(0);
    expect(b.sync.state).toBe('no peers');
  });

  it("a data directory of one id is not opened as another's", async () => {
    await expect(
      startNode({ network: 'dev', dataDir: labA2.dataDir, args: ['--network-id', 'lab-b'] }),
    ).rejects.toThrow(/does not start with this version's dev-lab-b genesis block .*use another --data-dir/);
    // Nor as plain dev.
    await expect(startNode({ network: 'dev', dataDir: labA2.dataDir })).rejects.toThrow(
      /does not start with this version's dev genesis block/,
    );
  }, 60_000);
});

describe('a peer that cannot be reached', () => {
  let node: NodeProcess;
  let deadUrl: string;

  afterAll(async () => {
    await node?.stop();
  });

  it('is logged at info once with the reason, listed with its error, and the status says "no peers"', async () => {
    // A port nothing listens on: a node started and stopped.
    const gone = await startNode();
    deadUrl = gone.url;
    await gone.stop();
    node = await startNode({ args: ['--peer', deadUrl] });
    // Two attempts (the second after a 15 s backoff), one line.
    const peers = await waitFor(
      async () => {
        const p = await getJson(node.url, '/api/v1/peers');
        return p.httpPeers[0]?.attempts >= 2 ? p : undefined;
      },
      'a second attempt',
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(peers.httpPeers[0]).toMatchObject({ url: deadUrl, connected: false });
    expect(peers.httpPeers[0].lastError).toMatch(/does not answer: connection refused/);
    const lines = logLines(node).filter((l) => l.msg.startsWith('peer unreachable'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe(30);
    expect(lines[0]!.msg).toContain(deadUrl);
    const status = await getJson(node.url, '/api/v1/status');
    expect(status.peers).toBe(0);
    expect(status.sync.state).toBe('no peers');
  }, 90_000);

  it('a node given no peer is "alone", not "in sync"', async () => {
    const alone = await startNode();
    expect((await getJson(alone.url, '/api/v1/status')).sync.state).toBe('alone');
    await alone.stop();
  });
});
