// A turn of the event loop, in Node (setImmediate: after pending I/O) and in a browser (no setImmediate
// there; a zero timeout is the nearest).

const schedule: (run: () => void) => void =
  typeof setImmediate === 'function' ? (run) => setImmediate(run) : (run) => setTimeout(run, 0);

/** Resolves after pending I/O has had a turn. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}
