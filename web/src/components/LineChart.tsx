// A dependency-free SVG line chart: one series, y axis from zero (or the data's minimum) to its max.

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

interface Props {
  readonly title: string;
  readonly points: readonly ChartPoint[];
  readonly formatY: (y: number) => string;
  readonly xLabel?: string;
  readonly testId?: string;
  /** Start the y axis at zero (rates, durations) rather than at the data's minimum. */
  readonly fromZero?: boolean;
}

const W = 420;
const H = 180;
const PAD = { right: 12, top: 12, bottom: 28 };
/** Width of one character of the axis font (10 px monospace) in viewBox units, with some slack. */
const AXIS_CHAR = 6.4;

/** Left margin wide enough for the longest y label ("123.45 kH/s" is 11 characters), so none is cut. */
export function axisPadding(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  return Math.ceil(Math.max(40, longest * AXIS_CHAR + 12));
}

export function LineChart({ title, points, formatY, xLabel = 'height', testId, fromZero = true }: Props) {
  if (points.length < 2) {
    return (
      <figure className="chart" data-testid={testId}>
        <figcaption>{title}</figcaption>
        <p className="empty chart-empty">Not enough blocks yet to draw this chart.</p>
      </figure>
    );
  }
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  let yMin = fromZero ? 0 : Math.min(...ys);
  let yMax = Math.max(...ys);
  if (yMax === yMin) {
    // A flat line (fixed difficulty on regtest) sits in the middle rather than on an edge.
    yMax = yMax === 0 ? 1 : yMax * 1.5;
    if (!fromZero) yMin = yMin / 2;
  }
  const ticks = [0, 0.5, 1].map((f) => yMin + f * (yMax - yMin));
  const left = axisPadding(ticks.map(formatY));
  const sx = (x: number) => left + ((x - xMin) / (xMax - xMin || 1)) * (W - left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom);
  const path = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
    .join('');
  const last = points[points.length - 1]!;
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        {title} <span className="muted">· latest {formatY(last.y)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} over the last ${points.length} blocks`}>
        {ticks.map((t) => (
          <g key={t}>
            <line className="grid" x1={left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} />
            <text className="axis" x={left - 6} y={sy(t) + 4} textAnchor="end">
              {formatY(t)}
            </text>
          </g>
        ))}
        <text className="axis" x={left} y={H - 8} textAnchor="start">
          {xLabel} {xMin}
        </text>
        <text className="axis" x={W - PAD.right} y={H - 8} textAnchor="end">
          {xMax}
        </text>
        <path className="line" d={path} />
        {points.map((p) => (
          <circle key={p.x} className="dot" cx={sx(p.x)} cy={sy(p.y)} r={points.length > 60 ? 1.5 : 2.5}>
            <title>{`${xLabel} ${p.x}: ${formatY(p.y)}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
