// A node's chain height as its event stream (GET /api/v1/events) announces it: when each height was
// first announced. Used to pace blocks fed to a node one at a time (bench/live-path.ts).

export interface HeightWatch {
  /** Resolves with the time (performance.now()) the node announced `height`; rejects after `timeoutMs`. */
  reached(height: number, timeoutMs: number): Promise<number>;
  close(): void;
}

/** Follows the event stream of the node at `baseUrl` until close(). */
export async function watchHeights(baseUrl: string): Promise<HeightWatch> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/events`, { signal: abort.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const seenAt = new Map<number, number>();
  let top = -1;
  let failure: Error | undefined;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  void (async () => {
    let text = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the event stream ended');
        text += value;
        // Events are `event: block\ndata: {...}\n\n`; only the height matters. The stream opens with a
        // status event (height included), so a height reached before it opened is seen too.
        for (let end = text.indexOf('\n\n'); end !== -1; end = text.indexOf('\n\n')) {
          const event = text.slice(0, end);
          text = text.slice(end + 2);
          if (!event.startsWith('event: block') && !event.startsWith('event: status')) continue;
          const { height } = JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { height: number };
          const now = performance.now();
          for (let h = top + 1; h <= height; h++) seenAt.set(h, now);
          top = Math.max(top, height);
        }
        wake();
      }
    } catch (err) {
      failure = abort.signal.aborted ? new Error('closed') : (err as Error);
      wake();
    }
  })();
  return {
    reached(height, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const at = seenAt.get(height);
          if (at !== undefined) done(() => resolve(at));
          else if (failure) done(() => reject(failure));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`height ${height} not announced in ${timeoutMs} ms`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
