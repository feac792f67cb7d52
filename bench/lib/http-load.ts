// A lean HTTP/1.1 load generator on node:net, for GETs whose answers are large: keep-alive connections,
// optionally pipelined, that parse only the status line and Content-Length of each answer and step over
// the body without copying it, so that the generator costs little next to the server it measures.
// Every answer's status and length are checked against a reference; one in `sampleEvery` is also
// compared byte for byte.
import { connect, type Socket } from 'node:net';

export interface HttpLoadOptions {
  host: string;
  port: number;
  /** The path of the next request (called once per request). */
  nextPath: () => string;
  connections: number;
  /** Requests in flight per connection (1 = no pipelining). */
  pipelining: number;
  seconds: number;
  expectStatus: number;
  /** The body every answer to `path` must have (status and length of every answer are checked). */
  reference: (path: string) => Buffer;
  /** One answer in this many is compared byte for byte with its reference. */
  sampleEvery: number;
  /** CPU seconds the server process has used so far, to report how busy it was. */
  serverCpuSeconds: () => number;
}

export interface HttpLoadResult {
  /** Answers with the expected status and body per second of wall time. */
  rate: number;
  ok: number;
  seconds: number;
  p50: number;
  p99: number;
  /** Bodies compared byte for byte. */
  sampled: number;
  /** CPU seconds of this (the generator's) process per second of the run. */
  generatorCores: number;
  /** CPU seconds of the server per second of the run (1 = one core busy). */
  serverCores: number;
  firstError?: string;
}

interface Pending {
  path: string;
  sent: number;
}

const RECEIVE_BUFFER = 256 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.1 (\d{3}) /;
const CONTENT_LENGTH = /\r\ncontent-length:\s*(\d+)/i;

/** One keep-alive connection: writes requests as answers come back, parses answers as they stream in. */
class LoadConnection {
  private readonly socket: Socket;
  private readonly inFlight: Pending[] = [];
  /** Header bytes of the answer being read (headers may span chunks; bodies are never kept). */
  private head: Buffer | undefined;
  private bodyLeft = -1;
  private status = 0;
  /** Content-Length of the answer being read. */
  private length = 0;
  private sample: Buffer[] | undefined;
  stopped = false;

  constructor(
    private readonly opts: HttpLoadOptions,
    private readonly answer: (p: Pending, status: number, length: number, body?: Buffer) => void,
    private readonly fail: (message: string) => void,
    private readonly wantsSample: () => boolean,
  ) {
    // One receive buffer per connection, reused for every read: no allocation per chunk.
    const buffer = Buffer.allocUnsafe(RECEIVE_BUFFER);
    this.socket = connect({
      host: opts.host,
      port: opts.port,
      noDelay: true,
      onread: {
        buffer,
        callback: (n) => {
          this.read(buffer.subarray(0, n));
          return true;
        },
      },
    });
    this.socket.on('connect', () => this.fill());
    this.socket.on('error', (e) => this.fail(`socket: ${e.message}`));
    this.socket.on('close', () => {
      if (!this.stopped) this.fail('the server closed a keep-alive connection');
    });
  }

  private fill(): void {
    let out = '';
    while (!this.stopped && this.inFlight.length < this.opts.pipelining) {
      const path = this.opts.nextPath();
      this.inFlight.push({ path, sent: performance.now() });
      out += `GET ${path} HTTP/1.1\r\nHost: ${this.opts.host}:${this.opts.port}\r\n\r\n`;
    }
    if (out) this.socket.write(out);
  }

  private read(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft < 0) {
        const end = this.readHead(chunk, at);
        if (end < 0) return;
        at = end;
        if (this.bodyLeft === 0) {
          this.finish();
          continue;
        }
      }
      const take = Math.min(this.bodyLeft, chunk.length - at);
      // The receive buffer is reused: a sampled body is copied out.
      if (this.sample) this.sample.push(Buffer.from(chunk.subarray(at, at + take)));
      at += take;
      this.bodyLeft -= take;
      if (this.bodyLeft === 0) this.finish();
    }
  }

  /** Reads header bytes from `chunk` at `at`; returns where the body starts, or -1 if the head is incomplete. */
  private readHead(chunk: Buffer, at: number): number {
    const part = chunk.subarray(at);
    const head = this.head ? Buffer.concat([this.head, part]) : part;
    const end = head.indexOf(HEADER_END);
    if (end < 0) {
      this.head = Buffer.from(head);
      return -1;
    }
    const consumed = end + 4 - (this.head?.length ?? 0);
    this.head = undefined;
    const text = head.toString('latin1', 0, end);
    const status = STATUS_LINE.exec(text);
    const length = CONTENT_LENGTH.exec(text);
    if (!status || !length) {
      this.fail(`an answer without a status line or Content-Length: ${text.slice(0, 200)}`);
      this.stopped = true;
      this.socket.destroy();
      return -1;
    }
    this.status = Number(status[1]);
    this.length = Number(length[1]);
    this.bodyLeft = this.length;
    this.sample = this.wantsSample() ? [] : undefined;
    return at + consumed;
  }

  private finish(): void {
    const pending = this.inFlight.shift()!;
    this.answer(pending, this.status, this.length, this.sample && Buffer.concat(this.sample));
    this.sample = undefined;
    this.bodyLeft = -1;
    this.fill();
  }

  close(): void {
    this.stopped = true;
    this.socket.destroy();
  }
}

/** Drives `connections` connections for `seconds` and checks every answer. */
export function httpLoad(opts: HttpLoadOptions): Promise<HttpLoadResult> {
  return new Promise((resolve) => {
    const latencies: number[] = [];
    let ok = 0;
    let answers = 0;
    let sampled = 0;
    let firstError: string | undefined;
    const cpuBefore = process.cpuUsage();
    const serverBefore = opts.serverCpuSeconds();
    const start = performance.now();
    const answer = (p: Pending, status: number, length: number, body?: Buffer) => {
      latencies.push(performance.now() - p.sent);
      const reference = opts.reference(p.path);
      if (status !== opts.expectStatus) firstError ??= `${p.path}: status ${status}`;
      else if (length !== reference.length)
        firstError ??= `${p.path}: ${length} body bytes, the reference has ${reference.length}`;
      else if (body && !body.equals(reference))
        firstError ??= `${p.path}: the body differs from the reference`;
      else ok++;
      if (body) sampled++;
    };
    const connections: LoadConnection[] = [];
    const fail = (message: string) => {
      firstError ??= message;
    };
    for (let i = 0; i < opts.connections; i++)
      connections.push(new LoadConnection(opts, answer, fail, () => answers++ % opts.sampleEvery === 0));
    setTimeout(() => {
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const serverCores = (opts.serverCpuSeconds() - serverBefore) / seconds;
      for (const c of connections) c.close();
      latencies.sort((a, b) => a - b);
      const at = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
      resolve({
        rate: ok / seconds,
        ok,
        seconds,
        p50: at(0.5),
        p99: at(0.99),
        sampled,
        generatorCores: (cpu.user + cpu.system) / 1e6 / seconds,
        serverCores,
        firstError,
      });
    }, opts.seconds * 1000);
  });
}
