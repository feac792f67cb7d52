// Starts test/support/hostile-peer.ts as a separate process and drives it over its HTTP control port.
// The process is tracked by node-process.ts, so cleanupNodesAfterAll()/AfterEach() kill it too.
import { type ExitStatus, type Json, spawnScript } from './node-process.js';

export interface HostilePeer {
  readonly peerId: string;
  /** Runs one command (see hostile-peer.ts); rejects when the process answers with an HTTP error or
   * takes longer than `timeoutMs` (30 s). */
  command<T = Json>(name: string, body?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<ExitStatus>;
  output(): string;
}

export async function startHostilePeer(network: string, genesisHash: string): Promise<HostilePeer> {
  const spawned = spawnScript('test/support/hostile-peer.ts', [network, genesisHash]);
  let exited: ExitStatus | undefined;
  void spawned.exit.then((s) => {
    exited = s;
  });
  const deadline = Date.now() + 30_000;
  let ready: { port: number; peerId: string } | undefined;
  while (!ready) {
    const line = spawned
      .stdout()
      .split('\n')
      .find((l) => l.startsWith('{"ready":true'));
    if (line) ready = JSON.parse(line);
    else if (exited) throw new Error(`the hostile peer exited (${exited.code}):\n${spawned.output()}`);
    else if (Date.now() > deadline) {
      spawned.proc.kill('SIGKILL');
      throw new Error(`the hostile peer did not start:\n${spawned.output()}`);
    } else await new Promise((r) => setTimeout(r, 50));
  }
  const { port, peerId } = ready;
  return {
    peerId,
    async command<T = Json>(
      name: string,
      body: Record<string, unknown> = {},
      timeoutMs = 30_000,
    ): Promise<T> {
      const res = await fetch(`http://127.0.0.1:${port}/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const value = (await res.json()) as T;
      if (!res.ok) throw new Error(`hostile peer ${name}: HTTP ${res.status} ${JSON.stringify(value)}`);
      return value;
    },
    async stop() {
      if (!exited) spawned.proc.kill('SIGTERM');
      return spawned.exit;
    },
    output: spawned.output,
  };
}
