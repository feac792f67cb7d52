// Bodies of bytes: `application/octet-stream`, taken only by the routes whose definition `accepts` it
// (POST /api/v1/blocks, a block's serialization), and a block's hex decoded in one pass.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_BLOCK_SIZE } from '../core/params.js';
import { ApiError, badRequest } from './errors.js';

export const BYTES = 'application/octet-stream';

/** The largest bytes body: the largest block (1,000,000 bytes) plus 1 KiB; past it 413 body-too-large. */
export const BYTES_BODY_LIMIT = MAX_BLOCK_SIZE + 1024;

/** Whether the matched route's body schema lists application/octet-stream (impl/bind.ts puts it there). */
function takesBytes(req: FastifyRequest): boolean {
  const body = req.routeOptions.schema?.body as { content?: Record<string, unknown> } | undefined;
  return body?.content?.[BYTES] !== undefined;
}

/** A plain Uint8Array over the same memory: a Buffer's slice() is a view, where Uint8Array's copies. */
const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

export function installBytesParser(app: FastifyInstance): void {
  app.addContentTypeParser(BYTES, { parseAs: 'buffer', bodyLimit: BYTES_BODY_LIMIT }, (req, body, done) => {
    if (!takesBytes(req)) {
      const path = req.url.split('?')[0];
      done(
        new ApiError(415, 'bad-request', `${req.method} ${path} takes JSON (application/json), not bytes`),
      );
      return;
    }
    done(null, plain(body as Buffer));
  });
}

/**
 * The bytes of a submitted block: the body itself, or its `hex` decoded. The hex is checked while it is
 * decoded, in one native pass (Buffer stops at the first character that is not hex): no regular
 * expression or length walk over up to 2,000,000 characters. 400 block-too-large or bad-encoding.
 */
export function blockBytesOf(body: { readonly hex: string } | Uint8Array): Uint8Array {
  if (body instanceof Uint8Array) return body;
  // Only the JSON body is checked by its schema: a form or plain text arrives here unchecked.
  const hex = (body as { hex?: unknown } | null | undefined)?.hex;
  if (typeof hex !== 'string')
    throw badRequest(
      'send the block as JSON {"hex": "<serialized block>"} or as its bytes (application/octet-stream)',
      'bad-request',
    );
  // As for bytes, a little over the limit is still decoded: the chain then names the rule a block just
  // over it breaks first (a corrupted copy of a real block is bad-merkle-root, not block-too-large).
  if (hex.length > 2 * BYTES_BODY_LIMIT)
    throw badRequest(
      `a block is at most ${MAX_BLOCK_SIZE.toLocaleString('en-US')} bytes (${(2 * MAX_BLOCK_SIZE).toLocaleString('en-US')} hex digits)`,
      'block-too-large',
    );
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length * 2 !== hex.length)
    throw badRequest(
      'hex must be the serialized block: an even number of hex digits (0-9, a-f)',
      'bad-encoding',
    );
  return plain(bytes);
}
