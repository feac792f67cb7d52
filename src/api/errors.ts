// Every API error is JSON {error, message}: a stable code (a consensus rule code where one applies) and a sentence.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RuleError } from '../core/errors.js';
import { AddressError } from '../crypto/address.js';
import { ApiError } from './api-error.js';

export { ApiError } from './api-error.js';

export const badRequest = (message: string, code = 'bad-request') => new ApiError(400, code, message);
export const notFound = (message: string) => new ApiError(404, 'not-found', message);

export function errorBody(error: unknown): { status: number; body: { error: string; message: string } } {
  if (error instanceof ApiError)
    return { status: error.status, body: { error: error.code, message: error.message } };
  if (error instanceof RuleError) return { status: 400, body: { error: error.code, message: error.message } };
  if (error instanceof AddressError)
    return { status: 400, body: { error: 'bad-address', message: error.message } };
  const fe = error as FastifyError;
  if (fe.validation)
    return { status: 400, body: { error: 'bad-request', message: `invalid request: ${fe.message}` } };
  switch (fe.code) {
    case 'FST_ERR_BAD_URL':
      return {
        status: 400,
        body: { error: 'bad-url', message: 'the URL is malformed (bad percent-encoding?)' },
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'bad-json', message: 'the body is not valid JSON' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: 'body-too-large', message: 'the request body is too large' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: { error: 'bad-request', message: 'send JSON (application/json) or a form' },
      };
  }
  if (fe instanceof SyntaxError)
    return { status: 400, body: { error: 'bad-json', message: 'the body is not valid JSON' } };
  // Fastify's own 414 message repeats the whole URL back.
  if (fe.statusCode === 414)
    return { status: 414, body: { error: 'url-too-long', message: 'a part of the URL is too long' } };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = CODE_BY_STATUS[fe.statusCode] ?? 'bad-request';
    return { status: fe.statusCode, body: { error: code, message: fe.message } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error (see the node log)' } };
}

const CODE_BY_STATUS: Record<number, string> = {
  404: 'not-found',
  405: 'method-not-allowed',
  408: 'request-timeout',
  413: 'body-too-large',
  414: 'url-too-long',
  415: 'bad-request',
  429: 'rate-limited',
  431: 'headers-too-large',
};

/** Shows a rejected value in a message without echoing a huge or deeply nested one back. */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Requests that Node's HTTP parser refuses before Fastify sees them (oversized headers or URL, garbage)
 * get the same {error, message} JSON as everything else.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'the request line or headers are too large'
      : status === 408
        ? 'the request took too long to arrive'
        : 'the request is not valid HTTP';
  const body = JSON.stringify({ error: CODE_BY_STATUS[status] ?? 'bad-request', message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Fastify's own refusals before routing (a malformed URL) as {error, message}. */
export function frameworkErrorHandler(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorBody(error);
  void reply.status(status).send(body);
}

export function errorHandler(
  this: unknown,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { status, body } = errorBody(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(status).send(body);
}
