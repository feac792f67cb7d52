// Raw sockets and requests against a node, for the tests of its connection limits: a socket that
// sends what it is told (or nothing), from a chosen loopback address, and reports what came back.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export interface RawSocket {
  readonly socket: net.Socket;
  /** Everything the node sent so far. */
  received(): string;
  /** Resolves with what the node sent once it closes the connection. */
  readonly closed: Promise<string>;
  /** Milliseconds from connect to close (NaN while open). */
  closedAfterMs(): number;
}

/** Connects to 127.0.0.1:`port` from `localAddress` (any 127.x address is this machine). */
export function connectRaw(port: number, localAddress = '127.0.0.1'): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let data = '';
    let closedAt = Number.NaN;
    const startedAt = performance.now();
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    const closed = new Promise<string>((done) =>
      socket.on('close', () => {
        closedAt = performance.now();
        done(data);
      }),
    );
    socket.once('error', (e) => {
      if (Number.isNaN(closedAt) && !socket.connecting) return; // a reset after connect: `closed` reports it
      reject(e);
    });
    socket.once('connect', () =>
      resolve({
        socket,
        received: () => data,
        closed,
        closedAfterMs: () => closedAt - startedAt,
      }),
    );
  });
}

/** The JSON body of a raw HTTP answer, or undefined. */
export function jsonBodyOf(answer: string): { error?: string; message?: string } | undefined {
  const at = answer.indexOf('\r\n\r\n');
  if (at < 0) return undefined;
  try {
    return JSON.parse(answer.slice(at + 4));
  } catch {
    return undefined;
  }
}

export interface StreamOpen {
  readonly status: number;
  /** The body when the node refused (JSON), else ''. */
  readonly body: string;
  close(): void;
}

/** Opens GET /api/v1/events from `localAddress`, reading whatever comes; resolves once answered. */
export function openEventStream(port: number, localAddress = '127.0.0.1'): Promise<StreamOpen> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/api/v1/events', localAddress, agent: false, timeout: 20_000 },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status === 200) {
          res.resume();
          res.on('error', () => {});
          resolve({ status, body: '', close: () => req.destroy() });
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status, body, close: () => req.destroy() }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('no answer to GET /api/v1/events in 20 s')));
  });
}

/** VmRSS of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(text)?.[1] ?? Number.NaN) * 1024;
}

/** A figure of GET /metrics. */
export async function metric(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(20_000) })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no metric ${name}`);
  return Number(line.slice(name.length + 1));
}
