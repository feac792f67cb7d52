// The node endpoints (definitions/node.ts): status, the event stream, Prometheus metrics.
import type { ApiContext } from '../context.js';
import { node as defs } from '../definitions/node.js';
import { metricsRegistry } from '../metrics.js';
import type { RouteDef } from '../route-table.js';
import type { SseClients } from '../sse-clients.js';
import { statusView } from '../status.js';
import { bind } from './bind.js';
import { streamEvents } from './events.js';

export function nodeRoutes(ctx: ApiContext, sse: SseClients, statusIntervalMs: number): RouteDef[] {
  const registry = metricsRegistry(ctx);
  return [
    bind(defs.getStatus, async (req) => statusView(ctx, req.operator)),
    bind(defs.events, async (req, reply) => streamEvents(ctx, sse, statusIntervalMs, req, reply)),
    bind(defs.metrics, async (_req, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    ),
  ];
}
