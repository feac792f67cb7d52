// Step 9: change a simulated miner's hash rate and watch the real retarget (nextBits) move the target
// and bring the block times back to the target spacing.
import { useId, useMemo, useState } from 'react';
import { NETWORKS, type NetworkName, type NetworkParams } from '../../../../src/core/params.js';
import { bitsToTarget } from '../../../../src/core/pow.js';
import { LineChart } from '../../components/LineChart.js';
import { formatHashRate } from '../../lib/format.js';
import { equilibriumRate, simulateDifficulty, windowAverages } from '../lib/difficulty-sim.js';

const BLOCKS = 240;
const CHANGE_AT = 80;

function RateSlider(props: {
  label: string;
  value: number;
  base: number;
  onChange: (v: number) => void;
  testId: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}: {formatHashRate(props.base * 2 ** props.value)}
      </label>
      <input
        id={id}
        type="range"
        min={-3}
        max={10}
        step={1}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        data-testid={props.testId}
      />
    </div>
  );
}

/** When a network retargets, as the network menu says it. */
function retargetSchedule(p: NetworkParams): string {
  if (p.noRetarget) return 'never retargets';
  const regular = `every ${p.retargetInterval} blocks`;
  const early = p.earlyRetarget;
  return early ? `every ${early.interval} blocks below ${early.untilHeight}, then ${regular}` : regular;
}

export function DifficultyStep() {
  const [network, setNetwork] = useState<NetworkName>('dev');
  const [before, setBefore] = useState(2);
  const [after, setAfter] = useState(5);
  const [seed, setSeed] = useState(1);
  const params = NETWORKS[network];
  const base = equilibriumRate(params);
  const blocks = useMemo(
    () =>
      simulateDifficulty(
        params,
        [
          { fromHeight: 0, rate: base * 2 ** before },
          { fromHeight: CHANGE_AT, rate: base * 2 ** after },
        ],
        BLOCKS,
        seed,
      ),
    [params, base, before, after, seed],
  );
  const windows = windowAverages(params, blocks);
  const last = blocks[blocks.length - 1]!;
  const lastWindow = windows[windows.length - 1];
  return (
    <section className="card learn-section learn-step" aria-labelledby="diff-sim">
      <h2 id="diff-sim">Keeping block times steady</h2>
      <p>
        Whoever mines, blocks should come every {params.targetSpacing} s. Every {params.retargetInterval}{' '}
        blocks the node compares how long the last {params.retargetInterval} took with how long they should
        have taken, and scales the target by that ratio (at most 4× either way, never easier than the
        network's limit). Below, a simulated miner finds blocks at random times set by its hash rate (seeded,
        so a run repeats); each block's bits come from the node's own <code>nextBits</code>. Raise the hash
        rate at block {CHANGE_AT} and watch the next retargets pull the times back.
        {params.earlyRetarget && (
          <>
            {' '}
            While the chain is young (below height {params.earlyRetarget.untilHeight}) {params.name} retargets
            every {params.earlyRetarget.interval} blocks, so a new chain's first blocks do not come dozens a
            second.
          </>
        )}
      </p>
      <div className="learn-controls">
        <div className="field">
          <label htmlFor="diff-network">Network</label>
          <select
            id="diff-network"
            value={network}
            onChange={(e) => setNetwork(e.target.value as NetworkName)}
            data-testid="diff-network"
          >
            {(Object.keys(NETWORKS) as NetworkName[]).map((n) => (
              <option key={n} value={n}>
                {n}: {retargetSchedule(NETWORKS[n])}
              </option>
            ))}
          </select>
        </div>
        <RateSlider
          label={`Hash rate, blocks 1–${CHANGE_AT - 1}`}
          value={before}
          base={base}
          onChange={setBefore}
          testId="diff-before"
        />
        <RateSlider
          label={`Hash rate from block ${CHANGE_AT}`}
          value={after}
          base={base}
          onChange={setAfter}
          testId="diff-after"
        />
        <div className="field">
          <label htmlFor="diff-seed">Seed</label>
          <input
            id="diff-seed"
            type="number"
            value={seed}
            onChange={(e) => setSeed(Math.floor(Number(e.target.value) || 0))}
            data-testid="diff-seed"
          />
        </div>
      </div>
      <div className="charts">
        <LineChart
          title={`Mean block time per ${params.retargetInterval}-block window (s)`}
          points={windows}
          formatY={(y) => y.toFixed(1)}
          testId="diff-times-chart"
        />
        <LineChart
          title="Difficulty (× the easiest target)"
          points={blocks.map((b) => ({ x: b.height, y: b.difficulty }))}
          formatY={(y) => (y >= 100 ? y.toFixed(0) : y.toFixed(2))}
          testId="diff-chart"
        />
      </div>
      <p className="small" data-testid="diff-summary" data-difficulty={last.difficulty} data-bits={last.bits}>
        After {BLOCKS} blocks: bits <code>0x{last.bits.toString(16).padStart(8, '0')}</code>, target{' '}
        <code className="hash hash-full">
          {(bitsToTarget(last.bits) ?? 0n).toString(16).padStart(64, '0')}
        </code>
        , difficulty {last.difficulty.toFixed(2)}, last window's mean block time{' '}
        <strong data-testid="diff-last-window">{lastWindow ? `${lastWindow.y.toFixed(1)} s` : '—'}</strong>{' '}
        (target {params.targetSpacing} s).
      </p>
    </section>
  );
}
