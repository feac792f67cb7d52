// Two nodes in this process: the second peers with the first, each mines, and their tips converge.
// Run: npm run build && node examples/two-nodes.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeClient } from 'hashline';
import { HashlineNode, nodeConfig } from 'hashline/node';

/** Polls `check` every 100 ms until it returns true; gives up after `seconds`. */
async function waitFor(what, check, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up after ${seconds} s waiting for ${what}`);
}

const dirs = [0, 1].map((i) => mkdtempSync(join(tmpdir(), `hashline-node${i}-`)));
const nodes = [];
try {
  const first = await HashlineNode.start(nodeConfig({ dataDir: dirs[0] }));
  nodes.push(first);
  // An http URL as a peer: the second node reads the first's libp2p address from its status.
  const second = await HashlineNode.start(nodeConfig({ dataDir: dirs[1], peers: [first.url()] }));
  nodes.push(second);
  const a = new NodeClient(first.url());
  const b = new NodeClient(second.url());
  await waitFor('the nodes to connect', async () => (await b.status()).peers > 0);
  console.log(`node A ${first.url()} and node B ${second.url()} are peers`);

  const tips = async () => Promise.all([a.status(), b.status()]);
  const converge = async (what) => {
    const started = Date.now();
    await waitFor(what, async () => {
      const [sa, sb] = await tips();
      return sa.tip === sb.tip;
    });
    const [sa, sb] = await tips();
    console.log(`after ${Date.now() - started} ms:`);
    console.log(`  tip A: height ${sa.height} ${sa.tip}`);
    console.log(`  tip B: height ${sb.height} ${sb.tip}`);
    console.log(`  tips equal: ${sa.tip === sb.tip}`);
  };

  for (let i = 0; i < 3; i++) await a.mine();
  console.log('node A mined 3 blocks');
  await converge('node B to follow node A');

  for (let i = 0; i < 2; i++) await b.mine();
  console.log('node B mined 2 blocks');
  await converge('node A to follow node B');
} finally {
  for (const node of nodes.reverse()) await node.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
