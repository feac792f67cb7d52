// Every API error is JSON {error, message}: a stable code (a consensus rule code where one applies) and a sentence.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RuleError } from '../core/errors.js';
import { AddressError } from '../crypto/address.js';
import { WalletError } from '../wallet/errors.js';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'bad-request') => new ApiError(400, code, message);
export const notFound = (message: string) => new ApiError(404, 'not-found', message);

export function errorBody(error: unknown): { status: number; body: { error: string; message: string } } {
  if (error instanceof ApiError)
    return { status: error.statusCode, body: { error: error.code, message: error.message } };
  if (error instanceof RuleError) return { status: 400, body: { error: error.code, message: error.message } };
  if (error instanceof AddressError)
    return { status: 400, body: { error: 'bad-address', message: error.message } };
  if (error instanceof WalletError) {
    const code = error.code === 'insufficient-funds' ? 'insufficient-funds' : error.code;
    return { status: 400, body: { error: code, message: error.message } };
  }
  const fe = error as FastifyError;
  if (fe.validation)
    return { status: 400, body: { error: 'bad-request', message: `invalid request: ${fe.message}` } };
  switch (fe.code) {
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
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.statusCode === 429 ? 'rate-limited' : fe.statusCode === 404 ? 'not-found' : 'bad-request';
    return { status: fe.statusCode, body: { error: code, message: fe.message } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error (see the node log)' } };
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
