// The node's own endpoints: its status, the live event stream, and Prometheus metrics.
import { StatusSchema } from '../schemas/index.js';
import { endpoint } from './endpoint.js';

export const node = {
  getStatus: endpoint({
    method: 'GET',
    url: '/api/v1/status',
    access: 'public',
    summary: 'Node and chain status',
    tags: ['node'],
    schemas: { response: { 200: StatusSchema } },
  }),
  events: endpoint({
    method: 'GET',
    url: '/api/v1/events',
    access: 'public',
    summary: 'Live events (Server-Sent Events)',
    tags: ['node'],
    produces: 'text/event-stream',
    // Payloads: BlockEventSchema, TxEventSchema, ReorgEventSchema and StatusSchema (src/api/schemas/node.ts).
    schemas: { response: {} },
  }),
  metrics: endpoint({
    method: 'GET',
    url: '/metrics',
    access: 'operator',
    summary: 'Prometheus metrics',
    tags: [],
    hide: true,
    produces: 'text/plain',
    schemas: { response: {} },
  }),
};
