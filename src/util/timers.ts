// Timers that run in Node and in a browser alike: a turn of the event loop (Node's setImmediate: after
// pending I/O; a browser has none, a zero timeout is the nearest), and timers that do not keep a Node
// process alive (a browser's timers are numbers, with nothing to unref).

const schedule: (run: () => void) => void =
  typeof setImmediate === 'function' ? (run) => setImmediate(run) : (run) => setTimeout(run, 0);

/** Resolves after pending I/O has had a turn. */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}

/** Lets the process exit while `timer` is pending (Node); nothing in a browser. */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void }).unref?.();
}
