// Where a process's resident memory is, read from outside it (/proc/<pid>/smaps): what files are mapped
// (the node binary, LevelDB's table files: pages the kernel may drop), the main thread's C heap (brk:
// glibc's main arena, where LevelDB, libuv, OpenSSL and the byte buffers behind Uint8Arrays allocate),
// and anonymous maps: V8 reserves its heaps in 256 kB pages (larger for large objects), and the other
// threads' C heaps are arenas reserved 64 MB at a time.
import { readFileSync } from 'node:fs';

const MB = 1024 * 1024;
/** Anonymous maps up to this size are counted as V8 heap pages. */
const V8_PAGE_MAX = 1024 * 1024;

export interface ProcessMemory {
  readonly rss: number;
  /** Mapped files. */
  readonly files: number;
  /** [heap]: the main thread's C heap. */
  readonly cHeap: number;
  /** Anonymous maps of at most 1 MB: V8's heap pages, of every thread's isolate. */
  readonly jsPages: number;
  /** Other anonymous maps: other threads' C heaps (arenas), large V8 objects, stacks. */
  readonly otherAnon: number;
}

/** The process's RSS split as above, in MB; undefined once the process is gone. */
export function processMemory(pid: number): ProcessMemory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return undefined;
  }
  const sums = { files: 0, cHeap: 0, jsPages: 0, otherAnon: 0 };
  let kind: keyof typeof sums = 'otherAnon';
  for (const line of text.split('\n')) {
    const map = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (map) {
      const size = Number.parseInt(map[2]!, 16) - Number.parseInt(map[1]!, 16);
      const name = map[3]!;
      if (name.startsWith('/')) kind = 'files';
      else if (name === '[heap]') kind = 'cHeap';
      else if (name === '' && size <= V8_PAGE_MAX) kind = 'jsPages';
      else kind = 'otherAnon';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) sums[kind] += Number(rss[1]) * 1024;
  }
  const rss = sums.files + sums.cHeap + sums.jsPages + sums.otherAnon;
  return {
    rss: rss / MB,
    files: sums.files / MB,
    cHeap: sums.cHeap / MB,
    jsPages: sums.jsPages / MB,
    otherAnon: sums.otherAnon / MB,
  };
}

export function describeProcessMemory(m: ProcessMemory): string {
  const f = (x: number) => `${x.toFixed(0)} MB`;
  return (
    `RSS ${f(m.rss)}: JS heap pages ${f(m.jsPages)}, main C heap ${f(m.cHeap)}, ` +
    `other anonymous ${f(m.otherAnon)}, files ${f(m.files)}`
  );
}
