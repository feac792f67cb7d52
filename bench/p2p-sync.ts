// Headers-first sync throughput: blocks per second that B connects when syncing from A
// over libp2p (TCP + Noise + Yamux on 127.0.0.1), against B connecting the same blocks
// from a local list. A runs in a child process, as a real peer would. The chain is the
// in-memory test chain with a simulated per-block connect cost (a busy loop standing in
// for validation and storage), so the ratio shows how much of the chain's time the
// network layer takes or leaves idle.
//
//   node --import tsx bench/p2p-sync.ts [blocks=3000] [connectCostMicros=500] [payloadBytes=2000]
import '../src/polyfill.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createNodeHost } from '../src/p2p/host-node.js';
import { P2PNetwork } from '../src/p2p/network.js';
import type { SubmitResult } from '../src/p2p/types.js';
import { FakeChain, makeBlock } from '../test/unit/p2p/fake-chain.js';

export interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const SELF = fileURLToPath(import.meta.url);

function busy(micros: number): void {
  const end = performance.now() + micros / 1000;
  while (performance.now() < end) {
    // simulated validation work
  }
}

/** A FakeChain whose submitBlock costs `micros` of CPU, like a real connect would. */
class CostlyChain extends FakeChain {
  constructor(private readonly micros: number) {
    super();
  }
  override async submitBlock(bytes: Uint8Array, fromPeer?: string): Promise<SubmitResult> {
    busy(this.micros);
    return super.submitBlock(bytes, fromPeer);
  }
}

/** The same chain in both processes: deterministic payloads of about `payloadBytes`. */
function buildChain(blocks: number, payloadBytes: number): FakeChain {
  const chain = new FakeChain();
  const filler = 'x'.repeat(Math.max(0, payloadBytes - 16));
  for (let h = 1; h <= blocks; h++) chain.connectUnchecked(makeBlock(chain.tip().hash, `${h}:${filler}`, h));
  return chain;
}

/** Child process: serve the chain until stdin closes. */
async function serve(blocks: number, payloadBytes: number): Promise<void> {
  const a = new P2PNetwork({
    chain: buildChain(blocks, payloadBytes),
    createHost: createNodeHost,
    reconnectMs: 0,
  });
  await a.start();
  console.log(`ADDR ${a.addrs()[0]}`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await a.stop();
}

async function startServer(blocks: number, payloadBytes: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SELF, '--serve', String(blocks), String(payloadBytes)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      cwd: path.dirname(path.dirname(SELF)), // where `tsx` resolves
    },
  );
  const lines = createInterface({ input: child.stdout });
  const addr = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => line.startsWith('ADDR ') && resolve(line.slice(5)));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { addr, stop: () => new Promise((resolve) => child.once('exit', resolve).stdin.end()) };
}

export async function runP2PSyncBench(blocks = 3000, costMicros = 500, payloadBytes = 2000): Promise<Row[]> {
  const source = buildChain(blocks, payloadBytes);
  const bytes = source.activeHashes().map((_, h) => source.blockAt(h));

  const local = new CostlyChain(costMicros);
  let t0 = performance.now();
  for (const block of bytes.slice(1)) await local.submitBlock(block);
  const localMs = performance.now() - t0;

  const server = await startServer(blocks, payloadBytes);
  const target = new CostlyChain(costMicros);
  const b = new P2PNetwork({ chain: target, createHost: createNodeHost, reconnectMs: 0 });
  await b.start();
  let p2pMs: number;
  try {
    t0 = performance.now();
    await b.dial(server.addr);
    while (target.tip().height < blocks) await new Promise((r) => setTimeout(r, 2));
    p2pMs = performance.now() - t0;
  } finally {
    await b.stop();
    await server.stop();
  }

  const note = `${blocks} blocks of ~${payloadBytes + 80} B, ${costMicros} µs connect cost`;
  return [
    { name: 'local connect', value: Math.round((blocks / localMs) * 1000), unit: 'blocks/s', note },
    { name: 'p2p headers-first sync', value: Math.round((blocks / p2pMs) * 1000), unit: 'blocks/s', note },
    { name: 'p2p sync / local connect', value: Number((localMs / p2pMs).toFixed(2)), unit: 'x' },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--serve') {
    await serve(Number(args[1]), Number(args[2]));
  } else {
    const [blocks, cost, payload] = args.map(Number);
    const rows = await runP2PSyncBench(
      blocks || undefined,
      Number.isNaN(cost) ? undefined : cost,
      payload || undefined,
    );
    for (const row of rows) {
      console.log(
        `${row.name.padEnd(26)} ${String(row.value).padStart(8)} ${row.unit}  ${row.note ?? ''}`.trimEnd(),
      );
    }
  }
}
