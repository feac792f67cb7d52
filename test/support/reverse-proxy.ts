// A reverse proxy as nginx's `proxy_pass` with the usual headers runs one: every request goes on to the
// target with Host set to the target's, X-Forwarded-For (the client appended), X-Real-IP,
// X-Forwarded-Proto and X-Forwarded-Host; the answer comes back as it is. Run as its own process:
//   node --import tsx test/support/reverse-proxy.ts <target url> [listen host]
// It prints `listening <port>` once it accepts connections, and stops on SIGTERM.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

const [target, listenHost = '127.0.0.1'] = process.argv.slice(2);
if (!target) throw new Error('usage: reverse-proxy.ts <target url> [listen host]');
const upstream = new URL(target);

const server = createServer((req, res) => {
  const client = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const forwardedFor = [req.headers['x-forwarded-for'], client].filter(Boolean).join(', ');
  const up = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: {
        ...req.headers,
        host: upstream.host,
        'x-forwarded-for': forwardedFor,
        'x-real-ip': client,
        'x-forwarded-proto': 'http',
        'x-forwarded-host': req.headers.host ?? '',
      },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  up.on('error', (e) => {
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'bad-gateway', message: e.message }));
  });
  req.pipe(up);
});

server.listen(0, listenHost, () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
