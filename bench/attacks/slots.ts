// 3. Connection slots: many peer ids from one IP (one process of the hostile harness holding 31 libp2p
// hosts, each with its own key) connect to a victim that has one honest outbound peer. Measured: how
// many of the victim's slots they hold, and whether an honest newcomer can then connect and complete
// the status handshake, against a newcomer joining the same victim before the sybils came.
// On loopback every peer is 127.0.0.1, so a per-IP limit sees one host here.
import type { NodeProcess } from '../../test/support/node-process.js';
import { api, waitFor } from '../../test/support/node-process.js';
import { formatNumber, progress, type Row } from '../lib/report.js';
import { startAttacker } from './attacker.js';
import { windowRows } from './rows.js';
import { measure, p2pAddr, peersOf, startBenchNode, status } from './victim.js';

export const SYBILS = 31;
/** libp2p's connection cap in the node today (src/p2p/README.md). */
const SLOTS = 32;
const JOIN_TIMEOUT_MS = 10_000;

/** `newcomer` dials the victim; ms until it has the victim's status, or the reason it did not. */
async function join(newcomer: NodeProcess, victimAddr: string, victimId: string) {
  const t0 = performance.now();
  const dial = await api(newcomer.url, { timeoutMs: JOIN_TIMEOUT_MS })
    .post('/api/v1/peers', { address: victimAddr })
    .catch((e: Error) => ({ status: 0, body: { error: e.message } }));
  if (dial.status !== 201)
    return { ms: undefined, error: `dial: HTTP ${dial.status} ${dial.body?.error ?? ''}` };
  try {
    await waitFor(
      async () => (await peersOf(newcomer)).some((p) => p.id === victimId && p.height >= 0),
      'the handshake with the victim',
      { timeoutMs: Math.max(1, JOIN_TIMEOUT_MS - (performance.now() - t0)), intervalMs: 20 },
    );
    return { ms: performance.now() - t0, error: undefined };
  } catch {
    return { ms: undefined, error: `no handshake within ${JOIN_TIMEOUT_MS / 1000} s` };
  }
}

export async function slotsAttack(): Promise<Row[]> {
  const attack = `3. ${SYBILS} peer ids from one IP (127.0.0.1)`;
  const honest = await startBenchNode('regtest');
  // Nothing is measured while they start: the three start together.
  const [victim, first, second] = await Promise.all([
    p2pAddr(honest).then((addr) => startBenchNode('regtest', ['--peer', addr])),
    startBenchNode('regtest'),
    startBenchNode('regtest'),
  ]);
  const victimStatus = await status(victim);
  const victimId: string = victimStatus.p2p.peerId;
  const victimAddr: string = victimStatus.p2p.addrs[0];
  await waitFor(async () => (await peersOf(victim)).some((p) => p.height >= 0), 'the honest peer', {
    timeoutMs: 20_000,
  });
  // The harness's own host stays away: only the sybils connect.
  const attacker = await startAttacker(victim, { connect: false });
  try {
    const base = await measure(victim, () => join(first, victimAddr, victimId));
    await first.stop();
    const honestIds = new Set([(await status(honest)).p2p.peerId]);
    progress(`attacks: slots: ${SYBILS} sybils connect`);
    const hit = await measure(victim, async () => {
      const sybils = await attacker.try('sybils', { addr: victimAddr, count: SYBILS });
      const peers = await peersOf(victim);
      const held = peers.filter((p) => !honestIds.has(p.id)).length;
      const joined = await join(second, victimAddr, victimId);
      return { sybils, held, peers: peers.length, joined };
    });
    const { sybils, held, peers, joined } = hit.result;
    return [
      ...windowRows(attack, base.window, hit.window, { baseline: 'a newcomer joins, no sybils' }),
      {
        name: `${attack}: victim's connection slots they hold`,
        value: held,
        unit: `of ${SLOTS}`,
        baseline: '1 honest outbound peer',
        note: `the victim listed ${peers} peers; the sybils completed ${sybils.handshakes ?? 0} handshakes, ${sybils.open ?? 0} still open after 1 s${
          sybils.errors?.length
            ? `; refused: ${[...new Set(sybils.errors as string[])].slice(0, 2).join('; ')}`
            : ''
        }`,
      },
      {
        name: `${attack}: honest newcomer's handshake with the victim`,
        value: joined.ms ?? Number.NaN,
        unit: 'ms',
        baseline:
          base.result.ms === undefined
            ? `none (${base.result.error})`
            : `${formatNumber(base.result.ms)} ms without sybils`,
        ratio: joined.ms !== undefined && base.result.ms ? joined.ms / base.result.ms : undefined,
        goal: 'connects',
        met: joined.ms !== undefined,
        note: joined.error ?? 'connected',
      },
    ];
  } finally {
    await attacker.stop();
    await Promise.all([second.stop(), victim.stop(), honest.stop()]);
  }
}
