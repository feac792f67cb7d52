// Progress of a long command on stderr: a bar in a terminal, else a plain line every few seconds
// (and at the end), so logs and pipes get something readable.
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const LINE_EVERY_MS = 2_000;

/** `label` names the work ("importing"), `unit` what is counted ("blocks"). */
export function progress(label: string, unit: string, total: number, stream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} ${unit}  {eta}s left`, stream });
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let last = Date.now();
  let current = 0;
  return {
    update: (done) => {
      current = done;
      if (Date.now() - last < LINE_EVERY_MS) return;
      last = Date.now();
      stream.write(`${label} ${done}/${total} ${unit}\n`);
    },
    stop: () => stream.write(`${label} ${current}/${total} ${unit}${current === total ? ': done' : ''}\n`),
  };
}
