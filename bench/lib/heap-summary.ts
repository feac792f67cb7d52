// What the live JS heap holds, by constructor: a heap snapshot (V8 collects garbage before it takes
// one) summed by node name, largest first. Strings, code and arrays are grouped by their kind.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  readonly name: string;
  readonly count: number;
  readonly bytes: number;
}

/** Live heap by constructor, largest first; `keep` names a file to keep the snapshot in. */
export function heapByConstructor(keep?: string): { total: number; groups: HeapGroup[] } {
  const file = writeHeapSnapshot(keep ?? path.join(tmpdir(), `hashline-heap-${process.pid}.heapsnapshot`));
  try {
    return summarizeHeapSnapshot(file);
  } finally {
    if (!keep) rmSync(file, { force: true });
  }
}

/** A heap snapshot file (this process's or another's) summed by constructor, largest first. */
export function summarizeHeapSnapshot(file: string): { total: number; groups: HeapGroup[] } {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const groups = new Map<string, { count: number; bytes: number }>();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType]!]!;
    const named = type === 'object' || type === 'closure' || type === 'native';
    const name = named ? snap.strings[snap.nodes[i + iName]!]!.slice(0, 60) : `(${type})`;
    const size = snap.nodes[i + iSize]!;
    total += size;
    const g = groups.get(name) ?? { count: 0, bytes: 0 };
    g.count++;
    g.bytes += size;
    groups.set(name, g);
  }
  const sorted = [...groups].map(([name, g]) => ({ name, ...g })).sort((a, b) => b.bytes - a.bytes);
  return { total, groups: sorted };
}
