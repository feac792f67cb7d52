// The Content-Security-Policy of every HTML page the node serves (the web app and /docs): scripts only
// from the node itself, never inline or from another site, so an injected <script> or on* attribute does
// not run. connect-src stays open to http(s) because the Network page asks other nodes (on the operator's
// click) for their public status, and to ws(s) because a node in a tab dials full nodes' WebSockets
// listeners; styles may be inline (React and Swagger UI set style attributes).
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' http: https: ws: wss:",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function installContentSecurityPolicy(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  });
}
