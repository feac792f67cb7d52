// Time as the network layer sees it: injectable, so tests can run backoff and expiry without waiting.

import { unrefTimer } from '../util/timers.js';

export type TimerHandle = { readonly cancel: () => void };

export interface Clock {
  /** Unix milliseconds. */
  now(): number;
  /** Runs `fn` once after `ms`; the timer never keeps the process alive. */
  after(ms: number, fn: () => void): TimerHandle;
  /** Runs `fn` every `ms`; the timer never keeps the process alive. */
  every(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    unrefTimer(t);
    return { cancel: () => clearTimeout(t) };
  },
  every(ms, fn) {
    const t = setInterval(fn, ms);
    unrefTimer(t);
    return { cancel: () => clearInterval(t) };
  },
};

/** A clock for tests: time moves only when advance() is called, firing due timers in order. */
export class ManualClock implements Clock {
  private timers: { at: number; every?: number; fn: () => void; live: boolean }[] = [];

  constructor(private time = 1_000_000) {}

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.time + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  every(ms: number, fn: () => void): TimerHandle {
    const timer = { at: this.time + ms, every: Math.max(1, ms), fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => t.live);
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      if (due.every === undefined) due.live = false;
      else due.at += due.every;
      due.fn();
    }
    this.time = end;
  }
}

export interface Throttled {
  (): void;
  cancel(): void;
}

/**
 * `fn` run at most once per `ms`: a call runs it at once if it has not run for `ms`, else once when
 * `ms` have passed (calls meanwhile are merged into that one).
 */
export function atMostEvery(clock: Clock, ms: number, fn: () => void): Throttled {
  let last = Number.NEGATIVE_INFINITY;
  let timer: TimerHandle | undefined;
  const run = () => {
    timer = undefined;
    last = clock.now();
    fn();
  };
  const call = () => {
    if (timer) return;
    const wait = last + ms - clock.now();
    if (wait <= 0) run();
    else timer = clock.after(wait, run);
  };
  call.cancel = () => {
    timer?.cancel();
    timer = undefined;
  };
  return call;
}
