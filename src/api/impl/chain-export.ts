// GET /api/v1/chain/export (definitions/chain-export.ts): the active chain's blocks streamed as a chain
// file. The range's blocks are pinned when the request arrives (their index entries, from the last
// block back through its parents), so a reorganisation during the download does not mix two branches;
// bodies are read one at a time as the client takes them.
import { Readable } from 'node:stream';
import type { ChainEntry } from '../../chain/entry.js';
import { chainFileChunks } from '../../chainfile/index.js';
import type { NetworkParams } from '../../core/params.js';
import { chainExport as defs } from '../definitions/chain-export.js';
import { ApiError, badRequest } from '../errors.js';
import { parseOffset } from '../parse.js';
import type { RouteDef } from '../route-table.js';
import { bind } from './bind.js';

/** Downloads at once, in total (the route is operator-only, so every caller is the operator). */
export const MAX_CONCURRENT_EXPORTS = 2;

/** What the export reads of the chain. */
export interface ExportableChain {
  readonly height: number;
  readonly genesis: ChainEntry;
  entryAtHeight(height: number): ChainEntry | undefined;
  getBlockBytes(hashHex: string): Promise<Uint8Array | undefined>;
}

/** The active chain's entries from `from` to `to`, oldest first. */
function pinRange(chain: ExportableChain, from: number, to: number): ChainEntry[] {
  const entries = new Array<ChainEntry>(to - from + 1);
  let entry = chain.entryAtHeight(to);
  for (let h = to; h >= from; h--) {
    if (!entry) throw new Error(`no block at height ${h} below the export's last block`);
    entries[h - from] = entry;
    entry = entry.parent;
  }
  return entries;
}

async function* bodiesOf(chain: ExportableChain, entries: ChainEntry[]): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const bytes = await chain.getBlockBytes(entry.hashHex);
    // A body pruned since the request began ends the stream: the client is left with a truncated file.
    if (!bytes) throw new Error(`the body of block ${entry.height} (${entry.hashHex}) is no longer stored`);
    yield bytes;
  }
}

export function chainExportRoutes(params: NetworkParams, chain: ExportableChain): RouteDef[] {
  let running = 0;
  return [
    bind(defs.exportChain, async (req, reply) => {
      const tip = chain.height;
      const from = parseOffset(req.query.from, 'from') ?? 0;
      const to = parseOffset(req.query.to, 'to') ?? tip;
      if (to > tip) throw badRequest(`to (${to}) is above the tip, height ${tip}`);
      if (from > to) throw badRequest(`from (${from}) is above to (${to})`);
      if (running >= MAX_CONCURRENT_EXPORTS)
        throw new ApiError(
          429,
          'too-many-exports',
          `${MAX_CONCURRENT_EXPORTS} chain exports are already running; try again when one has finished`,
        );
      running++;
      reply.raw.once('close', () => running--);
      const entries = pinRange(chain, from, to);
      const header = {
        network: params.name,
        genesisHash: chain.genesis.hash,
        fromHeight: from,
        count: entries.length,
      };
      const stream = Readable.from(chainFileChunks(header, bodiesOf(chain, entries)), { objectMode: false });
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="hashline-${params.name}-${from}-${to}.hlchain"`)
        .send(stream);
    }),
  ];
}
