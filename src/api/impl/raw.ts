// The raw-data endpoints (definitions/raw.ts) over RawReader and DecodeContext: bytes out, hex in.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toHex } from '../../core/bytes.js';
import { HEADER_SIZE } from '../../core/header.js';
import { decodeHex } from '../decode/index.js';
import { raw as defs } from '../definitions/raw.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import type { RawSource } from '../raw-source.js';
import type { RouteDef } from '../route-table.js';
import { bind } from './bind.js';

const OCTETS = 'application/octet-stream';

/**
 * Whether the caller asked for bytes: `Accept` names application/octet-stream with a weight above 0
 * and above JSON's (absent types weigh 0; a browser's `*\/*` alone gets JSON).
 */
export function wantsBytes(accept: string | undefined): boolean {
  if (!accept) return false;
  const weights = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (type) weights.set(type.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const bytes = weights.get(OCTETS) ?? 0;
  return bytes > 0 && bytes > (weights.get('application/json') ?? 0);
}

/** Hex as JSON, or the bytes themselves. */
function answer(req: FastifyRequest, reply: FastifyReply, bytes: Uint8Array) {
  reply.header('vary', 'Accept');
  if (wantsBytes(req.headers.accept)) return reply.type(OCTETS).send(Buffer.from(bytes));
  return reply.send({ hex: toHex(bytes) });
}

/**
 * Decodes running at once, over all callers: each may hold the main thread for a block's sanity checks
 * and wait on signature checks; past this, a caller is told to come back (503 `busy`).
 */
export const MAX_DECODES_IN_FLIGHT = 4;

/** Runs `job` unless `max` are running already. */
function inFlightLimit(max: number) {
  let running = 0;
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= max)
      throw new ApiError(503, 'busy', `the node is decoding ${max} requests already; try again in a moment`);
    running++;
    try {
      return await job();
    } finally {
      running--;
    }
  };
}

export function rawRoutes(source: RawSource, maxDecodes = MAX_DECODES_IN_FLIGHT): RouteDef[] {
  const { raw } = source;
  const limited = inFlightLimit(maxDecodes);
  const block = async (id: string) => {
    const bytes = await raw.blockBytes(id);
    if (!bytes) throw notFound(`no block ${id}`);
    return bytes;
  };
  return [
    bind(defs.getBlockRaw, async (req, reply) => answer(req, reply, await block(req.params.id))),
    bind(defs.getBlockHeader, async (req, reply) =>
      answer(req, reply, (await block(req.params.id)).subarray(0, HEADER_SIZE)),
    ),
    bind(defs.getTxRaw, async (req, reply) => {
      const id = req.params.txid.toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(id)) throw badRequest('txid must be 64 hex characters');
      const bytes = await raw.txBytes(id);
      if (!bytes) throw notFound(`no transaction ${id} in the chain or the mempool`);
      return answer(req, reply, bytes);
    }),
    bind(defs.decode, async (req) => limited(() => decodeHex(source.decode, req.body.hex, req.body.kind))),
  ];
}
