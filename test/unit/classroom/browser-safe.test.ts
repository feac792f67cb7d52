// src/classroom runs in the browser node too: nothing it imports, however indirectly, may be a node:
// module (a bundler would fail on it, or worse, ship a stub).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../../src/classroom');
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g;

/** Every module reachable from `entry` through relative imports, with the bare specifiers each imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const specifiers = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1]!);
    graph.set(file, specifiers);
    for (const s of specifiers)
      if (s.startsWith('.')) visit(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return graph;
}

describe('src/classroom', () => {
  it('imports no node: module, directly or through what it imports', () => {
    for (const entry of ['member.ts', 'teacher.ts', 'tree.ts', 'messages.ts']) {
      const graph = importGraph(resolve(ROOT, entry));
      const offending = [...graph].flatMap(([file, specs]) =>
        specs.filter((s) => s.startsWith('node:')).map((s) => `${file}: ${s}`),
      );
      expect(offending, entry).toEqual([]);
      expect(graph.size).toBeGreaterThanOrEqual(2);
    }
    // The walk follows imports all the way: the member reaches the Ed25519 code through messages.ts.
    const memberGraph = [...importGraph(resolve(ROOT, 'member.ts')).keys()];
    expect(memberGraph.some((f) => f.endsWith('crypto/ed25519.ts'))).toBe(true);
  });
});
