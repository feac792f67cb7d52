// Node's timers have unref() (the explorer indexer calls it so that its timer does not keep a process
// alive); a page's setTimeout returns a number. This gives the page's timers a no-op unref and ref, as
// the browser node's build must too, without changing what clearTimeout takes.
const plain = globalThis.setTimeout.bind(globalThis);
const plainClear = globalThis.clearTimeout.bind(globalThis);

interface PageTimer {
  readonly id: number;
  unref(): PageTimer;
  ref(): PageTimer;
  [Symbol.toPrimitive](): number;
}

function wrap(id: number): PageTimer {
  const timer: PageTimer = {
    id,
    unref: () => timer,
    ref: () => timer,
    [Symbol.toPrimitive]: () => id,
  };
  return timer;
}

const patched = globalThis as unknown as {
  setTimeout: (handler: TimerHandler, ms?: number, ...args: unknown[]) => PageTimer;
  clearTimeout: (timer?: PageTimer | number) => void;
};
patched.setTimeout = (handler, ms, ...args) => wrap(plain(handler, ms, ...args));
patched.clearTimeout = (timer) => plainClear(typeof timer === 'object' ? timer.id : timer);
