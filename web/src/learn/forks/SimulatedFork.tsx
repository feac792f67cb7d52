// Two branches from one fork point: fewer, harder blocks against more, easier ones. The node follows
// the branch with the most work (workForBits summed), not the one with the most blocks.
import { useState } from 'react';
import { bitsToTarget, targetToBits, workForBits } from '../../../../src/core/pow.js';
import { branchWork, forkChoice, type SimBranch } from '../lib/block-tree.js';

const EASY = 0x2000ffff;
/** A target three times smaller: each block is three times the work. */
const HARD = targetToBits(bitsToTarget(EASY)! / 3n);
const START: SimBranch[] = [
  { name: 'A', bits: [HARD] },
  { name: 'B', bits: [EASY, EASY] },
];
const UNIT = workForBits(EASY);

export function SimulatedFork() {
  const [branches, setBranches] = useState(START);
  const choice = forkChoice(branches);
  const add = (i: number, bits: number) =>
    setBranches((bs) => bs.map((b, j) => (j === i ? { ...b, bits: [...b.bits, bits] } : b)));
  return (
    <div
      className="learn-step"
      data-testid="fork-sim"
      data-most-work={branches[choice.mostWork]!.name}
      data-longest={branches[choice.longest]!.name}
    >
      {branches.map((b, i) => (
        <div
          key={b.name}
          className={`learn-box ${i === choice.mostWork ? 'ok' : ''}`}
          data-testid={`fork-sim-${b.name}`}
        >
          <div className="row">
            <strong>Branch {b.name}</strong>
            <span className="muted small">
              {b.bits.length} block{b.bits.length === 1 ? '' : 's'} · work {(branchWork(b) / UNIT).toString()}{' '}
              units
            </span>
            {i === choice.mostWork && <span className="badge badge-ok">most work: the node follows it</span>}
            {i === choice.longest && i !== choice.mostWork && (
              <span className="badge badge-warn">longest</span>
            )}
          </div>
          <div className="sim-branch">
            {b.bits.map((bits, k) => (
              <span
                // biome-ignore lint/suspicious/noArrayIndexKey: blocks of a branch, by position.
                key={k}
                className={`sim-block ${bits === HARD ? 'hard' : 'easy'}`}
                style={{ width: `${Number(workForBits(bits) / UNIT) * 2.4}rem` }}
                title={`bits 0x${bits.toString(16)}`}
              >
                {bits === HARD ? 'hard' : 'easy'}
              </span>
            ))}
          </div>
          <div className="row">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => add(i, HARD)}
              data-testid={`fork-sim-${b.name}-hard`}
            >
              + hard block (3 units)
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => add(i, EASY)}
              data-testid={`fork-sim-${b.name}-easy`}
            >
              + easy block (1 unit)
            </button>
          </div>
        </div>
      ))}
      <div className="row">
        <button type="button" className="btn btn-small" onClick={() => setBranches(START)}>
          Reset
        </button>
      </div>
    </div>
  );
}
