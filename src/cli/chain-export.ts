// `hashline chain export`: downloads a chain file from a running node (GET /api/v1/chain/export) and
// checks it as it arrives. The bytes go to FILE.partial, renamed to FILE only once the whole file has
// been read back and found sound, so FILE is never a half-written export.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ChainFileError, type ChainFileHeader, verifyChainFile } from '../chainfile/index.js';
import { toHex } from '../core/bytes.js';
import { NodeHttp, refused } from './node-http.js';
import { type Progress, progress } from './progress.js';

export interface ChainExportOptions {
  readonly node: string;
  readonly tokenFile?: string;
  readonly from?: number;
  readonly to?: number;
}

/** Passes the chunks on after writing each to `out`, waiting when the disk is behind. */
async function* writeThrough(
  chunks: AsyncIterable<Uint8Array>,
  out: ReturnType<typeof createWriteStream>,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
    yield chunk;
  }
}

export async function runChainExport(file: string, opts: ChainExportOptions): Promise<void> {
  const node = await NodeHttp.open(opts.node, opts.tokenFile);
  const query = { from: opts.from?.toString(), to: opts.to?.toString() };
  const res = await node
    .call((api) => api.exportChain({ query }))
    .catch((e: unknown) => {
      throw refused('the node refused the export', e);
    });
  if (!res.body) throw new Error(`the node at ${node.baseUrl} answered the export with no body`);
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  let bar: Progress | undefined;
  try {
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    const summary = await verifyChainFile(writeThrough(body, out), (block, header: ChainFileHeader) => {
      bar ??= progress('exporting', 'blocks', header.count);
      bar.update(block.height - header.fromHeight + 1);
    });
    bar?.stop();
    out.end();
    await once(out, 'finish');
    await rename(partial, file);
    const { header } = summary;
    console.log(
      `wrote ${file}: ${header.count} blocks of ${header.network} (heights ${header.fromHeight}-${header.fromHeight + header.count - 1}, last ${toHex(summary.lastHash)}), ${summary.bytes} bytes`,
    );
  } catch (e) {
    bar?.stop();
    out.destroy();
    await rm(partial, { force: true });
    const cause = e instanceof ChainFileError ? `(${e.code}) ${e.message}` : (e as Error).message;
    throw new Error(`the export did not complete, nothing was written to ${file}: ${cause}`);
  }
}
