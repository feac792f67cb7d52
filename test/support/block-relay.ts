// Commands of hostile-peer.ts for bench/live-path.ts: a relaying peer that does not verify. Blocks are
// loaded once from a file (no 39 kB body per control request) and published on the blocks topic by
// index, paced by the node's own event stream, so that the bench process takes no part while timed.
//
//   /load-blocks    {path}                   read blocks from a file, one hex per line
//   /relay-loaded   {from, to, firstHeight, inFlight, events, timeoutMs?}
//                   publish loaded blocks from..to-1 (block i is at height firstHeight + i), at most
//                   inFlight not yet announced on the event stream at `events` (a node's base URL);
//                   answers {seconds, latencies, window} (window: monotonic µs, for CPU profiles)
import { readFileSync } from 'node:fs';
import { fromHex } from '../../src/core/bytes.js';
import { watchHeights } from './event-heights.js';

type Command = (body: Record<string, unknown>) => Promise<unknown>;

const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/** The commands; `publish` sends a block on the blocks topic and returns how many peers it went to. */
export function blockRelayCommands(publish: (block: Uint8Array) => Promise<number>): Record<string, Command> {
  let loaded: Uint8Array[] = [];
  return {
    async 'load-blocks'(body) {
      loaded = readFileSync(String(body.path), 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => fromHex(line));
      return { ok: true, count: loaded.length };
    },

    async 'relay-loaded'(body) {
      const [first, end, inFlight] = [Number(body.from), Number(body.to), Number(body.inFlight)];
      const heightOf = (i: number) => Number(body.firstHeight) + i;
      const timeoutMs = Number(body.timeoutMs ?? 30_000);
      if (!(first >= 0 && end <= loaded.length && first < end && inFlight >= 1))
        throw new Error(`cannot relay ${first}..${end} of ${loaded.length}, ${inFlight} in flight`);
      const heights = await watchHeights(String(body.events));
      try {
        const sentAt: number[] = [];
        const from = monotonicMicros();
        const start = performance.now();
        for (let i = first; i < end; i++) {
          if (i - inFlight >= first) await heights.reached(heightOf(i - inFlight), timeoutMs);
          sentAt.push(performance.now());
          if ((await publish(loaded[i]!)) < 1) throw new Error(`block ${i} reached no peer`);
        }
        const last = await heights.reached(heightOf(end - 1), timeoutMs);
        const window = { from, to: monotonicMicros() };
        const latencies: number[] = [];
        for (let i = first; i < end; i++)
          latencies.push((await heights.reached(heightOf(i), 0)) - sentAt[i - first]!);
        return { ok: true, seconds: (last - start) / 1000, latencies, window };
      } finally {
        heights.close();
      }
    },
  };
}
