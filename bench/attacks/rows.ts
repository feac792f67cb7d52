// The rows every attack gives, against the same node's window without the attack: disk growth, RSS
// growth and `/api/v1/status` p99. Growth is a difference of two readings, so it is given as a delta
// with a ratio only where the baseline is large enough for one to mean something.
import { formatNumber, type Row } from '../lib/report.js';
import { MB, type Window } from './victim.js';

const mb = (bytes: number) => `${formatNumber(bytes / MB)} MB`;
const ms = (v: number) => `${formatNumber(v)} ms`;
const signed = (bytes: number) => `${bytes >= 0 ? '+' : ''}${formatNumber(bytes / MB)} MB`;

/** value / baseline when the baseline is at least `floor`; otherwise no ratio. */
export const ratioOver = (value: number, baseline: number, floor: number): number | undefined =>
  Number.isFinite(value) && baseline >= floor ? value / baseline : undefined;

export interface WindowRowOptions {
  /** What the baseline window did instead of the attack ("idle", "one honest copy"). */
  readonly baseline: string;
  /** Goal on the victim's disk growth, MB, with the words to print. */
  readonly diskGoal?: { readonly mb: number; readonly text: string };
  readonly rssGoal?: { readonly mb: number; readonly text: string };
}

export function windowRows(attack: string, base: Window, hit: Window, o: WindowRowOptions): Row[] {
  const disk: Row = {
    name: `${attack}: victim disk growth`,
    value: hit.diskDelta / MB,
    unit: 'MB',
    baseline: `${mb(base.diskDelta)} (${o.baseline})`,
    ratio: ratioOver(hit.diskDelta, base.diskDelta, 0.1 * MB),
    note: `${signed(hit.diskDelta - base.diskDelta)} over the baseline; du of the data dir before and after; ${formatNumber(hit.seconds)} s window`,
  };
  if (o.diskGoal) {
    disk.goal = o.diskGoal.text;
    disk.met = hit.diskDelta / MB < o.diskGoal.mb;
  }
  const rss: Row = {
    name: `${attack}: victim RSS growth`,
    value: hit.rssDelta / MB,
    unit: 'MB',
    baseline: `${signed(base.rssDelta)} (${o.baseline})`,
    ratio: ratioOver(hit.rssDelta, base.rssDelta, 5 * MB),
    note: `VmRSS peak ${mb(hit.rssPeak)} (baseline ${mb(base.rssPeak)})`,
  };
  if (o.rssGoal) {
    rss.goal = o.rssGoal.text;
    rss.met = hit.rssDelta / MB < o.rssGoal.mb;
  }
  const slowest = (w: Window) => Math.max(...w.samples.map((s) => s.ms));
  const p99: Row = {
    name: `${attack}: /api/v1/status p99 during the attack`,
    value: hit.p99,
    unit: 'ms',
    baseline: `${ms(base.p99)} (${o.baseline})`,
    ratio: ratioOver(hit.p99, base.p99, 0.01),
    note: `${hit.samples.length} answers, slowest ${ms(slowest(hit))}${hit.failed ? `, ${hit.failed} failed or timed out (10 s)` : ''}; the node used ${formatNumber(hit.cpu)} CPU s (baseline ${formatNumber(base.cpu)} s)`,
  };
  return [disk, rss, p99];
}

/** A row saying a scenario could not be measured, so that the others still print. */
export function failedRow(attack: string, error: unknown): Row {
  return {
    name: `${attack}: not measured`,
    value: Number.NaN,
    unit: '',
    note: `failed: ${(error as Error).message?.split('\n')[0]?.slice(0, 300) ?? String(error)}`,
  };
}
