// `hashline chain import`: replays a chain file into a running node through POST /api/v1/blocks, so
// every block goes through the node's own validation. The whole file is read and checked first (format,
// checksum, network, a parent the node knows): a file refused then has had nothing submitted. Blocks
// already on the node's chain are skipped, so a run cut short (importer or node killed) is completed by
// running the same command again.
import { createReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError } from '../api/client.js';
import type { StatusJson } from '../api/schemas/index.js';
import {
  ChainFileError,
  type ChainFileHeader,
  ChainFileReader,
  type ChainFileSummary,
  verifyChainFile,
} from '../chainfile/index.js';
import { toHex } from '../core/bytes.js';
import { type NodeHttp, NodeUnreachable, refused } from './node-http.js';
import { progress } from './progress.js';

/** Blocks compared per request when looking for the first one the node lacks. */
const KNOWN_PAGE = 100;
/** A 429 (a remote node's rate limit) is retried this many times, a second apart. */
const BUSY_RETRIES = 30;

const fileStream = (file: string) => createReadStream(file, { highWaterMark: 1 << 16 });

function checkNetwork(header: ChainFileHeader, node: NodeHttp, status: StatusJson): void {
  if (toHex(header.genesisHash) !== status.genesis)
    throw new ChainFileError(
      'wrong-network',
      `the file holds a chain of network "${header.network}" (genesis ${toHex(header.genesisHash)}), but the node at ${node.baseUrl} runs "${status.network}" (genesis ${status.genesis})`,
    );
}

/**
 * Checks the file belongs on this node (its header first, so a foreign file is refused at once), then
 * reads it through (format, links, checksum) and checks the node has the parent of its first block.
 * Throws ChainFileError.
 */
export async function checkChainFile(
  file: string,
  node: NodeHttp,
  status: StatusJson,
): Promise<ChainFileSummary> {
  const head = fileStream(file);
  try {
    checkNetwork((await ChainFileReader.open(head)).header, node, status);
  } finally {
    head.destroy();
  }
  let bar: ReturnType<typeof progress> | undefined;
  const summary = await verifyChainFile(fileStream(file), (block, header) => {
    bar ??= progress('checking', 'blocks', header.count);
    bar.update(block.height - header.fromHeight + 1);
  }).finally(() => bar?.stop());
  const { header } = summary;
  if (header.fromHeight > 0) {
    const parentHex = toHex(summary.parentHash);
    const parent = await node
      .call((api) => api.getBlock({ params: { id: parentHex } }))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404)
          throw new ChainFileError(
            'broken-link',
            `the file starts at height ${header.fromHeight} on block ${parentHex}, which the node does not have: import the blocks below it first`,
          );
        throw refused('looking up the parent block', e);
      });
    if (parent.height !== header.fromHeight - 1)
      throw new ChainFileError(
        'bad-header',
        `the file says its first block is at height ${header.fromHeight}, but its parent is at height ${parent.height} on the node`,
      );
  }
  return summary;
}

/** Answers "is the block at this height already on the node's chain?" a page of heights at a time. */
class KnownBlocks {
  private page = new Map<number, string>();
  private searching: boolean;

  constructor(
    private readonly node: NodeHttp,
    private readonly nodeHeight: number,
  ) {
    this.searching = nodeHeight >= 0;
  }

  async has(height: number, hash: Uint8Array): Promise<boolean> {
    if (!this.searching || height > this.nodeHeight) return false;
    if (!this.page.has(height)) {
      const r = await this.node
        .call((api) => api.getBlocks({ query: { from: String(height), limit: String(KNOWN_PAGE) } }))
        .catch((e: unknown) => {
          throw refused("listing the node's blocks", e);
        });
      this.page = new Map(r.blocks.map((b) => [b.height, b.hash]));
    }
    // Past the first block the node lacks, none after it is on its chain: stop asking.
    const known = this.page.get(height) === toHex(hash);
    if (!known) this.searching = false;
    return known;
  }
}

/** One block to the node, through its normal block-acceptance path; returns the node's status for it. */
async function submit(node: NodeHttp, height: number, hash: Uint8Array, bytes: Uint8Array): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    let r: { status: string };
    try {
      r = await node.call((api) => api.submitBlock({ body: bytes }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 429 && attempt < BUSY_RETRIES) {
        await sleep(1_000);
        continue;
      }
      throw refused(`the node refused block ${height} (${toHex(hash)})`, e);
    }
    // The file's links and the parent check make this a node that lost the parent meanwhile.
    if (r.status === 'orphan')
      throw new Error(
        `the node holds block ${height} (${toHex(hash)}) as an orphan: its parent is missing there`,
      );
    return r.status;
  }
}

export interface ChainImportOptions {
  /** Seconds to wait after each block submitted (0: as fast as the node takes them). */
  readonly pace: number;
}

/** Submits the file's blocks the node lacks, in order; returns the counts by the node's answer. */
async function replay(
  file: string,
  node: NodeHttp,
  summary: ChainFileSummary,
  status: StatusJson,
  opts: ChainImportOptions,
): Promise<Map<string, number>> {
  // One block at a time, each answered before the next: its own rule code if refused. (Several at once
  // gained little: the node's validation is the bottleneck, and blocks then reach it out of order.)
  const counts = new Map<string, number>();
  const count = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1);
  const known = new KnownBlocks(node, status.height);
  const reader = await ChainFileReader.open(fileStream(file));
  const bar = progress('importing', 'blocks', summary.header.count);
  let done = 0;
  try {
    for await (const block of reader.blocks()) {
      if (await known.has(block.height, block.hash)) count('already there');
      else {
        count(await submit(node, block.height, block.hash, block.bytes));
        if (opts.pace > 0) await sleep(opts.pace * 1_000);
      }
      bar.update(++done);
    }
  } catch (e) {
    if (e instanceof NodeUnreachable)
      throw new NodeUnreachable(
        `${e.message} after ${done} of ${summary.header.count} blocks. Run the same command again once the node is back: the blocks it has are skipped`,
      );
    throw e;
  } finally {
    bar.stop();
  }
  return counts;
}

export async function runChainImport(file: string, node: NodeHttp, opts: ChainImportOptions): Promise<void> {
  const before = await node
    .call((api) => api.getStatus())
    .catch((e: unknown) => {
      throw refused('asking the node for its status', e);
    });
  let summary: ChainFileSummary;
  try {
    summary = await checkChainFile(file, node, before);
  } catch (e) {
    if (!(e instanceof ChainFileError)) throw e;
    throw new Error(`${file} is refused (${e.code}): ${e.message}. Nothing was imported`);
  }
  const counts = await replay(file, node, summary, before, opts);
  const after = await node.call((api) => api.getStatus());
  const parts = [...counts].map(([what, n]) => `${n} ${what}`).join(', ');
  console.log(
    `imported ${file} into ${node.baseUrl}: ${parts}; the node's tip is height ${after.height} ${after.tip}`,
  );
  const lastHeight = summary.header.fromHeight + summary.header.count - 1;
  const lastHex = toHex(summary.lastHash);
  /** The node's block by height or hash, or undefined when it has none (404). */
  const blockAt = (id: string) =>
    node
      .call((api) => api.getBlock({ params: { id } }))
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return undefined;
        throw refused(`looking up block ${id}`, e);
      });
  if ((await blockAt(String(lastHeight)))?.hash === lastHex) return;
  // Not on the active chain: stored on a side branch (the node follows more work), or not there at all.
  if ((await blockAt(lastHex)) !== undefined)
    console.log(
      `the file's last block ${lastHex} is stored but not on the node's active chain: the node follows a chain with more work`,
    );
  else
    throw new Error(
      `the file's last block ${lastHex} is not on the node: it follows a chain with more work and keeps no copy of a branch with too little (docs/protocol.md, "Storage policy, pruning and orphans")`,
    );
}
