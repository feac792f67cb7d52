// What every bench returns, and how the rows are printed: figures are reported against a baseline
// measured in the same run, never against a number remembered from another machine or day.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Row {
  /** What was measured. */
  name: string;
  value: number;
  unit: string;
  /** The figure this one is compared with, as text with its own unit ("9,120 verifies/s (node:crypto)"). */
  baseline?: string;
  /** value / baseline (or the ratio the goal is stated in). */
  ratio?: number;
  /** The goal from the issue, in words ("≥ 0.8x", "< 300 MB"). */
  goal?: string;
  met?: boolean;
  note?: string;
}

/** A titled group of rows: one per bench module. */
export interface Section {
  title: string;
  rows: Row[];
  /** Set when the bench failed: the message replaces its rows. */
  error?: string;
  seconds?: number;
}

/** True when the module at `moduleUrl` is the script node was asked to run. */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(path.resolve(script)).href;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A readable figure: thousands separators for large values, three significant digits for small ones. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1000) return integer.format(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toPrecision(3).replace(/\.?0+$/, '');
}

export const formatRate = (value: number, unit: string): string => `${formatNumber(value)} ${unit}`;

export function formatRatio(ratio: number): string {
  if (ratio >= 10) return `${ratio.toFixed(1)}x`;
  return `${ratio >= 0.01 ? ratio.toFixed(2) : ratio.toPrecision(2)}x`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One Markdown table per section. */
export function markdownTables(sections: readonly Section[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push(`### ${s.title}${s.seconds === undefined ? '' : ` (${s.seconds.toFixed(0)} s)`}`, '');
    if (s.error) {
      out.push(`**Failed:** ${cell(s.error)}`, '');
      if (s.rows.length === 0) continue;
    }
    out.push('| Figure | Value | Baseline | Ratio | Goal | Met | Note |', '|---|---:|---|---:|---|:-:|---|');
    for (const r of s.rows) {
      const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
      out.push(
        `| ${cell(r.name)} | ${formatRate(r.value, r.unit)} | ${cell(r.baseline ?? '')} | ${
          r.ratio === undefined ? '' : formatRatio(r.ratio)
        } | ${cell(r.goal ?? '')} | ${met} | ${cell(r.note ?? '')} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/** Prints one bench's rows when it is run alone. */
export function printRows(title: string, rows: readonly Row[]): void {
  console.log(markdownTables([{ title, rows: [...rows] }]));
}

/** Runs `measure` `times` times and keeps the highest rate: on a shared machine noise only slows a run. */
/** Nearest-rank percentile (NaN when there are no values). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function bestOf(times: number, measure: () => number | Promise<number>): Promise<number> {
  let best = 0;
  for (let i = 0; i < times; i++) best = Math.max(best, await measure());
  return best;
}

/** Calls `body` in a loop for about `seconds` and returns operations per second (`body` returns its count). */
export function rateFor(seconds: number, body: () => number): number {
  let ops = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    ops += body();
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

/** Logs progress on stderr so that stdout stays the table. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * The tail of every bench module: when the module is the script being run, runs the bench and prints
 * its table, or writes its rows as JSON to $BENCH_JSON_OUT (how bench/run.ts collects them).
 */
export async function runAsScript(
  moduleUrl: string,
  title: string,
  run: () => Promise<Row[]>,
): Promise<void> {
  if (!isMain(moduleUrl)) return;
  const rows = await run();
  const out = process.env.BENCH_JSON_OUT;
  if (out) writeFileSync(out, JSON.stringify(rows));
  else printRows(title, rows);
}

/**
 * `results` (a bench/results.md) with the tables of `sections` put in place of the sections of the same
 * titles, or appended; the rest is kept as it was. A run of some benches only updates their figures.
 */
export function mergeSections(results: string, sections: readonly Section[], note: string): string {
  let out = results.endsWith('\n') ? results : `${results}\n`;
  for (const section of sections) {
    const table = markdownTables([section]).replace(/\n\n/, `\n\n${note}\n\n`);
    const heading = `### ${section.title}`;
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l === heading || l.startsWith(`${heading} (`));
    if (start < 0) {
      out = `${out}\n${table}`;
      continue;
    }
    const next = lines.findIndex((l, i) => i > start && l.startsWith('### '));
    const after = next < 0 ? '' : `\n${lines.slice(next).join('\n')}`;
    out = `${lines.slice(0, start).join('\n')}\n${table}${after}`;
  }
  return out.replace(/\n{3,}/g, '\n\n');
}
