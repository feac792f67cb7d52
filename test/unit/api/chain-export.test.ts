// GET /api/v1/chain/export over a chain held in memory: the range checks, the file it streams, the
// range fixed when the request arrives (a reorganisation during the download does not mix branches),
// and the cap on downloads running at once.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../../src/api/errors.js';
import {
  chainExportRoutes,
  type ExportableChain,
  MAX_CONCURRENT_EXPORTS,
} from '../../../src/api/impl/chain-export.js';
import type { ChainEntry } from '../../../src/chain/entry.js';
import { verifyChainFile } from '../../../src/chainfile/index.js';
import { blockHash, encodeBlock } from '../../../src/core/block.js';
import { toHex } from '../../../src/core/bytes.js';
import { genesisBlock } from '../../../src/core/genesis.js';
import { NETWORKS } from '../../../src/core/params.js';
import { BURN_ADDRESS, buildBlock } from '../../support/p2p-blocks.js';

const regtest = NETWORKS.regtest;

interface FakeEntry {
  hash: Uint8Array;
  hashHex: string;
  height: number;
  parent: FakeEntry | undefined;
}

/** Blocks on `parent`, each with its entry; `seed` makes branches differ. */
function branch(
  parent: FakeEntry,
  count: number,
  seed: bigint,
  bodies: Map<string, Uint8Array>,
): FakeEntry[] {
  const out: FakeEntry[] = [];
  let tip = parent;
  for (let i = 0; i < count; i++) {
    const b = buildBlock({
      parentHash: tip.hashHex,
      height: tip.height + 1,
      time: regtest.genesis.time + 10 * (tip.height + 1),
      minerAddress: BURN_ADDRESS,
      extraNonce: seed,
    });
    bodies.set(b.hash, b.bytes);
    tip = { hash: blockHash(b.block), hashHex: b.hash, height: tip.height + 1, parent: tip };
    out.push(tip);
  }
  return out;
}

const bodies = new Map<string, Uint8Array>();
const genesis = genesisBlock(regtest);
const genesisEntry: FakeEntry = {
  hash: blockHash(genesis),
  hashHex: toHex(blockHash(genesis)),
  height: 0,
  parent: undefined,
};
bodies.set(genesisEntry.hashHex, encodeBlock(genesis));
const mainBranch = [genesisEntry, ...branch(genesisEntry, 5, 0n, bodies)];
const sideBranch = [...mainBranch.slice(0, 3), ...branch(mainBranch[2]!, 4, 7n, bodies)];

let active = mainBranch;
/** While set, reading a body waits for it: a download held open half-way. */
let gate: Promise<void> | undefined;

const chain: ExportableChain = {
  get height() {
    return active.length - 1;
  },
  genesis: genesisEntry as unknown as ChainEntry,
  entryAtHeight: (h) => active[h] as unknown as ChainEntry | undefined,
  getBlockBytes: async (hashHex) => {
    await gate;
    return bodies.get(hashHex);
  },
};

let app: FastifyInstance;
let base: string;
beforeAll(async () => {
  app = Fastify({ forceCloseConnections: true });
  app.setErrorHandler(errorHandler);
  for (const r of chainExportRoutes(regtest, chain)) {
    app.route({ method: r.method, url: r.url, schema: r.schema, handler: r.handler as never });
  }
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
});

async function* bodyOf(res: Response): AsyncGenerator<Uint8Array> {
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

async function hashesIn(res: Response): Promise<string[]> {
  const hashes: string[] = [];
  await verifyChainFile(bodyOf(res), (b) => hashes.push(toHex(b.hash)));
  return hashes;
}

describe('GET /api/v1/chain/export', () => {
  it('streams the range as a chain file that reads back', async () => {
    const res = await fetch(`${base}/api/v1/chain/export?from=1&to=4`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="hashline-regtest-1-4.hlchain"',
    );
    expect(await hashesIn(res)).toEqual(mainBranch.slice(1, 5).map((e) => e.hashHex));
    const all = await fetch(`${base}/api/v1/chain/export`);
    expect(await hashesIn(all)).toEqual(mainBranch.map((e) => e.hashHex));
  });

  it('refuses a range beyond the tip or upside down', async () => {
    for (const [query, message] of [
      ['to=6', 'above the tip'],
      ['from=4&to=3', 'above to'],
      ['from=-1', 'non-negative'],
      ['from=x', 'non-negative'],
    ] as const) {
      const res = await fetch(`${base}/api/v1/chain/export?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text()).toContain(message);
    }
  });

  it('keeps to the branch that was active when the request came, through a reorganisation', async () => {
    let release!: () => void;
    gate = new Promise((r) => {
      release = r;
    });
    const res = await fetch(`${base}/api/v1/chain/export`);
    active = sideBranch;
    release();
    gate = undefined;
    expect(await hashesIn(res)).toEqual(mainBranch.map((e) => e.hashHex));
    const after = await fetch(`${base}/api/v1/chain/export`);
    expect(await hashesIn(after)).toEqual(sideBranch.map((e) => e.hashHex));
    active = mainBranch;
  });

  it(`runs at most ${MAX_CONCURRENT_EXPORTS} downloads at once`, async () => {
    let release!: () => void;
    gate = new Promise((r) => {
      release = r;
    });
    const held = await Promise.all(
      Array.from({ length: MAX_CONCURRENT_EXPORTS }, () => fetch(`${base}/api/v1/chain/export`)),
    );
    for (const res of held) expect(res.status).toBe(200);
    const refused = await fetch(`${base}/api/v1/chain/export`);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: 'too-many-exports' });
    release();
    gate = undefined;
    for (const res of held) expect(await hashesIn(res)).toHaveLength(mainBranch.length);
    // A download that ended gives its place back.
    const again = await fetch(`${base}/api/v1/chain/export`);
    expect(again.status).toBe(200);
    await again.body?.cancel();
  });
});
