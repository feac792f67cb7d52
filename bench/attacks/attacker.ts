// The attacking peer: test/support/hostile-peer.ts in its own process, connected to the victim. Every
// command is allowed to fail (a defended node refuses connections, ignores gossip, bans): a failure is a
// measured outcome, returned, never thrown.
import { type HostilePeer, startHostilePeer } from '../../test/support/hostile-driver.js';
import type { Json, NodeProcess } from '../../test/support/node-process.js';
import { p2pAddr, status } from './victim.js';

export interface Attacker {
  readonly hostile: HostilePeer;
  readonly peerId: string;
  /** The victim accepted the connection and the status handshake. */
  readonly connected: boolean;
  readonly connectError?: string;
  /** Runs a command; a failure comes back as `{ ok: false, error }`. */
  try(name: string, body?: Record<string, unknown>): Promise<Json>;
  /** Publishes a block; true when the victim was among the recipients. */
  gossipBlock(hex: string): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts a hostile peer on the victim's network and connects it. It answers sync requests with no
 * headers (not garbage), so that the victim's sync rounds with it cost it nothing. With `connect: false`
 * it only drives sybils (see hostile-peer.ts's /sybils).
 */
export async function startAttacker(
  victim: NodeProcess,
  opts: { connect?: boolean } = {},
): Promise<Attacker> {
  const s = await status(victim);
  const hostile = await startHostilePeer(s.network, s.genesis);
  const victimId: string = s.p2p.peerId;
  const attempt = async (name: string, body: Record<string, unknown> = {}): Promise<Json> => {
    try {
      return await hostile.command(name, body);
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  };
  await attempt('serve', { mode: 'headers', headers: [] });
  const connected =
    opts.connect === false
      ? { ok: false, error: 'not asked to' }
      : await attempt('connect', { addr: await p2pAddr(victim) });
  return {
    hostile,
    peerId: hostile.peerId,
    connected: connected.ok === true,
    connectError: connected.ok ? undefined : `${connected.stage ?? ''} ${connected.error ?? ''}`.trim(),
    try: attempt,
    async gossipBlock(hex) {
      const r = await attempt('gossip', { topic: 'blocks', hex });
      return r.ok === true && (r.recipients as string[]).includes(victimId);
    },
    async stop() {
      await hostile.stop();
    },
  };
}
