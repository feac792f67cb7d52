// A run of some benches (`bench/run.ts attacks`) must update only their sections of bench/results.md.
import { describe, expect, it } from 'vitest';
import { mergeSections, type Section } from '../../../bench/lib/report.js';

const FILE = [
  '# Benchmark results',
  '',
  'Run … Total 269 s.',
  '',
  '### core: hashing (33 s)',
  '',
  '| Figure | Value | Baseline | Ratio | Goal | Met | Note |',
  '|---|---:|---|---:|---|:-:|---|',
  '| old core row | 1 x |  |  |  |  |  |',
  '',
  '### api: HTTP (84 s)',
  '',
  '| Figure | Value | Baseline | Ratio | Goal | Met | Note |',
  '|---|---:|---|---:|---|:-:|---|',
  '| api row | 2 x |  |  |  |  |  |',
  '',
].join('\n');

const section = (title: string, name: string): Section => ({
  title,
  seconds: 5,
  rows: [{ name, value: 3, unit: 'x' }],
});

describe('mergeSections', () => {
  it('replaces a section of the same title in place and keeps the others', () => {
    const out = mergeSections(FILE, [section('core: hashing', 'new core row')], 'Run alone.');
    expect(out).not.toContain('old core row');
    expect(out).toContain('### core: hashing (5 s)\n\nRun alone.\n\n| Figure');
    expect(out.indexOf('new core row')).toBeLessThan(out.indexOf('### api: HTTP (84 s)'));
    expect(out).toContain('| api row | 2 x |');
    expect(out.startsWith('# Benchmark results\n\nRun … Total 269 s.\n\n### core')).toBe(true);
  });

  it('appends a section the file does not have, and replaces the last one up to the end', () => {
    const added = mergeSections(FILE, [section('attacks: hostile peers', 'attack row')], 'Run alone.');
    expect(added.endsWith('| attack row | 3 x |  |  |  |  |  |\n')).toBe(true);
    expect(added).toContain('| old core row |');
    const again = mergeSections(added, [section('attacks: hostile peers', 'second row')], 'Again.');
    expect(again).not.toContain('attack row');
    expect(again.match(/### attacks/g)).toHaveLength(1);
    expect(again).toContain('| api row |');
  });
});
