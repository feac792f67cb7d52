// Searches nonces in small chunks between frames so the page keeps responding, reporting progress.
import { useCallback, useEffect, useRef, useState } from 'react';
import { searchNonce, type ToyBlock } from '../lib/learn.js';

const CHUNK = 2000;
/** Stop looking after this many nonces (at 5 zeros the expected number is ~1 million). */
const MAX_TRIES = 20_000_000;

export interface NonceSearch {
  readonly running: boolean;
  readonly tries: number;
  readonly rate: number;
  readonly start: (block: ToyBlock, zeros: number, onFound: (nonce: number) => void) => void;
  readonly cancel: () => void;
}

export function useNonceSearch(): NonceSearch {
  const [running, setRunning] = useState(false);
  const [tries, setTries] = useState(0);
  const [rate, setRate] = useState(0);
  const run = useRef(0);

  const cancel = useCallback(() => {
    run.current++;
    setRunning(false);
  }, []);
  useEffect(() => () => void run.current++, []);

  const start = useCallback((block: ToyBlock, zeros: number, onFound: (nonce: number) => void) => {
    const id = ++run.current;
    const began = performance.now();
    setRunning(true);
    setTries(0);
    setRate(0);
    let next = 0;
    const step = () => {
      if (run.current !== id) return;
      // Work for ~12 ms, then yield to the browser for input and painting.
      const until = performance.now() + 12;
      let found: number | null = null;
      while (found === null && performance.now() < until && next < MAX_TRIES) {
        found = searchNonce(block, zeros, next, CHUNK);
        next += CHUNK;
      }
      const elapsed = (performance.now() - began) / 1000;
      if (found !== null) {
        setTries(found + 1);
        setRate(elapsed > 0 ? (found + 1) / elapsed : 0);
        setRunning(false);
        run.current++;
        onFound(found);
        return;
      }
      setTries(next);
      setRate(elapsed > 0 ? next / elapsed : 0);
      if (next >= MAX_TRIES) {
        setRunning(false);
        return;
      }
      setTimeout(step, 0);
    };
    setTimeout(step, 0);
  }, []);

  return { running, tries, rate, start, cancel };
}
