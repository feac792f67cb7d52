// Expensive reads take turns. Each route in ROUTE_COSTS has a cost in units; a caller (an IP address,
// loopback included: a web page the operator visits calls from there too) may have costPerCaller units
// running at once and all callers together costTotal. A read that does not fit waits in line (at most
// costQueuePerCaller per caller, costQueueTotal in all, costMaxWaitMs each), then runs; past the line it
// is refused with 429 `too-many-expensive-reads`. Cheap routes (status, a block, a transaction) are
// never held, so they keep answering while heavy ones queue.
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { callerAddress } from './http-limits.js';
import type { ApiLimits } from './limits.js';

/**
 * `METHOD url-pattern` → cost units. Whole-mempool answers and whole-chain pages cost 2; reads that walk
 * an index or a page of blocks cost 1. What is not listed costs nothing.
 */
export const ROUTE_COSTS: Readonly<Record<string, number>> = {
  'GET /chain': 2,
  'GET /nodes/resolve': 2,
  'GET /transactions/get': 2,
  'GET /api/v1/mempool': 2,
  'GET /api/v1/blocks': 1,
  'GET /api/v1/txs': 1,
  'GET /api/v1/chain/tree': 1,
  'GET /api/v1/address/:address': 1,
  'GET /api/v1/wallet': 1,
};

export const costOf = (method: string, url: string | undefined): number =>
  url === undefined ? 0 : (ROUTE_COSTS[`${method === 'HEAD' ? 'GET' : method} ${url}`] ?? 0);

interface Waiter {
  readonly caller: string;
  readonly cost: number;
  readonly grant: () => void;
}

export interface CostStats {
  readonly running: number;
  readonly waiting: number;
  /** Reads refused since start (line full, or waited too long). */
  readonly refused: number;
}

/** The bookkeeping alone (no HTTP), so that it can be tested and reused. */
export class CostLimiter {
  private readonly runningBy = new Map<string, number>();
  private readonly waitingBy = new Map<string, number>();
  private readonly line: Waiter[] = [];
  private running = 0;
  private refusedCount = 0;

  constructor(private readonly limits: ApiLimits) {
    if (limits.costPerCaller > limits.costTotal)
      throw new Error('HTTP limit costPerCaller must not exceed costTotal');
  }

  private fits(caller: string, cost: number): boolean {
    return (
      this.running + cost <= this.limits.costTotal &&
      (this.runningBy.get(caller) ?? 0) + cost <= this.limits.costPerCaller
    );
  }

  private start(caller: string, cost: number): () => void {
    this.running += cost;
    this.runningBy.set(caller, (this.runningBy.get(caller) ?? 0) + cost);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.running -= cost;
      const left = (this.runningBy.get(caller) ?? cost) - cost;
      if (left === 0) this.runningBy.delete(caller);
      else this.runningBy.set(caller, left);
      this.admitWaiting();
    };
  }

  /**
   * A newcomer starts at once when it fits and passes nobody who could run in its place: the line
   * holds none of its caller's reads and none that waits only for room in the total.
   */
  private mayPass(caller: string, cost: number): boolean {
    if (!this.fits(caller, cost) || this.waitingBy.has(caller)) return false;
    const ownLimit = (w: Waiter) => (this.runningBy.get(w.caller) ?? 0) + w.cost > this.limits.costPerCaller;
    return this.line.every(ownLimit);
  }

  /** Starts every waiting read that now fits, oldest first. */
  private admitWaiting(): void {
    for (let i = 0; i < this.line.length; ) {
      const w = this.line[i]!;
      if (this.fits(w.caller, w.cost)) {
        this.line.splice(i, 1);
        w.grant();
      } else i++;
    }
  }

  private refuse(message: string): ApiError {
    this.refusedCount++;
    return new ApiError(429, 'too-many-expensive-reads', message);
  }

  /**
   * Resolves with the function that ends the turn once the read may run; rejects with a 429 ApiError
   * when the line is full or the wait too long; `abandoned` (the client left) takes it out of line.
   */
  acquire(caller: string, cost: number, abandoned: AbortSignal): Promise<() => void> {
    const { costQueuePerCaller, costQueueTotal, costMaxWaitMs, costPerCaller } = this.limits;
    const units = Math.min(cost, costPerCaller);
    if (this.mayPass(caller, units)) return Promise.resolve(this.start(caller, units));
    if (abandoned.aborted) return Promise.reject(abandoned.reason);
    const queued = this.waitingBy.get(caller) ?? 0;
    if (queued >= costQueuePerCaller || this.line.length >= costQueueTotal) {
      return Promise.reject(
        this.refuse(
          queued >= costQueuePerCaller
            ? `expensive reads (a /chain page, an address, the mempool…) run ${costPerCaller} cost units at a time per client ` +
                `and at most ${costQueuePerCaller} wait; wait for an answer before asking for more`
            : `the node has ${costQueueTotal} expensive reads waiting already; retry later`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.waitingBy.set(caller, queued + 1);
      const leave = () => {
        clearTimeout(timer);
        abandoned.removeEventListener('abort', onAbort);
        const left = (this.waitingBy.get(caller) ?? 1) - 1;
        if (left === 0) this.waitingBy.delete(caller);
        else this.waitingBy.set(caller, left);
      };
      const drop = () => {
        const i = this.line.indexOf(waiter);
        if (i >= 0) this.line.splice(i, 1);
        leave();
      };
      const onAbort = () => {
        drop();
        reject(abandoned.reason);
      };
      const timer = setTimeout(() => {
        drop();
        reject(
          this.refuse(
            `this expensive read waited ${costMaxWaitMs / 1000} s for its turn (the node runs ${costPerCaller} cost units at a time per client); retry later`,
          ),
        );
      }, costMaxWaitMs);
      const waiter: Waiter = {
        caller,
        cost: units,
        grant: () => {
          leave();
          resolve(this.start(caller, units));
        },
      };
      abandoned.addEventListener('abort', onAbort, { once: true });
      this.line.push(waiter);
    });
  }

  stats(): CostStats {
    return { running: this.running, waiting: this.line.length, refused: this.refusedCount };
  }
}

/** What to run when each connection closes (one 'close' listener per socket, however many requests wait on it). */
const onSocketClose = new WeakMap<Socket, Set<() => void>>();

/** Runs `fn` when `socket` (not destroyed yet) closes; returns what unsubscribes it. */
function whenClosed(socket: Socket, fn: () => void): () => void {
  let callbacks = onSocketClose.get(socket);
  if (!callbacks) {
    const set = new Set<() => void>();
    onSocketClose.set(socket, set);
    socket.once('close', () => {
      for (const callback of [...set]) callback();
      set.clear();
    });
    callbacks = set;
  }
  const own = callbacks;
  own.add(fn);
  return () => own.delete(fn);
}

/** Runs `fn` once, when the answer is sent or its connection drops, whichever comes first. */
function whenAnswerEnds(req: FastifyRequest, reply: FastifyReply, fn: () => void): () => void {
  const { socket } = req.raw;
  if (socket.destroyed || reply.raw.destroyed || reply.raw.writableFinished) {
    fn();
    return () => {};
  }
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    reply.raw.off('close', once);
    unsubscribe();
    fn();
  };
  // A request pipelined behind another gets no 'close' of its own when the connection drops (its
  // response is only queued): the connection's is watched too, or its turn would never end.
  const unsubscribe = whenClosed(socket, once);
  reply.raw.once('close', once);
  return () => {
    done = true;
    reply.raw.off('close', once);
    unsubscribe();
  };
}

/** Puts every costed route behind the limiter; call after the access hooks (refused calls wait for nothing). */
export function installCostLimit(app: FastifyInstance, limits: ApiLimits): CostLimiter {
  const limiter = new CostLimiter(limits);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const cost = costOf(req.method, req.routeOptions.url);
    if (cost === 0) return;
    const gone = new AbortController();
    const stopWatching = whenAnswerEnds(req, reply, () =>
      gone.abort(new ApiError(499, 'client-closed', 'the client went away')),
    );
    let end: () => void;
    try {
      end = await limiter.acquire(callerAddress(req.ip), cost, gone.signal);
    } finally {
      stopWatching();
    }
    // The turn lasts until the answer is sent or the connection drops (a streamed page included).
    whenAnswerEnds(req, reply, end);
  });
  return limiter;
}
