// Spending policies under /api/v1: a policy's text or bytes decoded into what wallets and explorers show.
import { ErrorSchema, PolicyDecodeBody, PolicyDecodeQuery, PolicyDecodeSchema } from '../schemas/index.js';
import { endpoint } from './endpoint.js';

const SUMMARY =
  "its canonical text and bytes, hash, address on this network, keys, fragments and signature checks; a policy that does not parse or decode gets 400 bad-policy naming the position (docs/api.md, 'Spending policies')";

export const policy = {
  decodePolicyText: endpoint({
    method: 'GET',
    url: '/api/v1/policy/decode',
    access: 'public',
    summary: `Decode a spending policy's text (?text=): ${SUMMARY}`,
    tags: ['chain'],
    schemas: { query: PolicyDecodeQuery, response: { 200: PolicyDecodeSchema, 400: ErrorSchema } },
  }),
  decodePolicy: endpoint({
    method: 'POST',
    url: '/api/v1/policy/decode',
    access: 'public',
    summary: `Decode a spending policy given as { text } or as its encoding { hex }: ${SUMMARY}`,
    tags: ['chain'],
    schemas: { body: PolicyDecodeBody, response: { 200: PolicyDecodeSchema, 400: ErrorSchema } },
  }),
};
