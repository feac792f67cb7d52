import { describe, expect, it } from 'vitest';
import { MAX_SCORE, PENALTY, PeerScores } from '../../../src/p2p/scoring.js';

function clock(start = 1_000_000) {
  const c = { now: start, read: () => c.now };
  return c;
}

describe('PeerScores', () => {
  it('starts clean and loses points per offence', () => {
    const scores = new PeerScores(clock().read);
    expect(scores.score('p')).toBe(MAX_SCORE);
    expect(scores.penalize('p', 'invalidTx')).toEqual({
      score: MAX_SCORE - PENALTY.invalidTx,
      shouldBan: false,
    });
    expect(scores.counts('p')).toEqual({ invalid: 1, malleated: 0 });
  });

  it('asks for a ban when the score reaches zero; reset() starts the peer clean', () => {
    const scores = new PeerScores(clock().read);
    const outcomes = [1, 2, 3, 4].map(() => scores.penalize('p', 'invalidBlock'));
    expect(outcomes.map((o) => o.shouldBan)).toEqual([false, false, false, true]);
    scores.reset('p');
    expect(scores.score('p')).toBe(MAX_SCORE);
    expect(scores.penalize('p', 'invalidBlock').shouldBan).toBe(false);
  });

  it('heals slowly with time', () => {
    const c = clock();
    const scores = new PeerScores(c.read);
    scores.penalize('p', 'malformedFrame');
    expect(scores.score('p')).toBe(75);
    c.now += 10 * 60_000;
    expect(scores.score('p')).toBe(85);
    c.now += 60 * 60_000;
    expect(scores.score('p')).toBe(MAX_SCORE);
  });

  it('counts malleated data without lowering the score', () => {
    const scores = new PeerScores(clock().read);
    scores.noteMalleated('p');
    expect(scores.score('p')).toBe(MAX_SCORE);
    expect(scores.counts('p')).toEqual({ invalid: 1, malleated: 1 });
  });
});

describe('progressBar', () => {
  it('draws the fraction done, clamped to 0..1', async () => {
    const { progressBar } = await import('../../../src/p2p/network.js');
    expect(progressBar(0.4)).toBe('[########------------] 40.0%');
    expect(progressBar(0, 4)).toBe('[----] 0.0%');
    expect(progressBar(2, 4)).toBe('[####] 100.0%');
  });
});

describe('PeerScores bound', () => {
  it('evicts the least recently penalised clean record first, and never clears everything', () => {
    const c = clock();
    const scores = new PeerScores(c.read, 3);
    scores.penalize('dirty', 'invalidBlock'); // 75, heals 1 a minute
    scores.penalize('clean', 'timeout'); // heals within 2 minutes
    scores.penalize('recent', 'invalidBlock');
    c.now += 5 * 60_000;
    scores.penalize('new', 'timeout');
    expect(scores.size).toBe(3);
    // "clean" healed and goes; "dirty" is older but still owes points.
    expect(scores.score('dirty')).toBe(80);
    expect(scores.score('recent')).toBe(80);
    expect(scores.counts('clean')).toEqual({ invalid: 0, malleated: 0 });
    // With no clean record left, only the least recently penalised one goes.
    scores.penalize('dirty', 'timeout'); // now the most recent
    scores.penalize('another', 'invalidBlock');
    expect(scores.size).toBe(3);
    expect(scores.score('recent')).toBe(MAX_SCORE); // evicted
    expect(scores.score('dirty')).toBe(78);
    expect(scores.score('another')).toBe(75);
  });

  it('a mutated block is charged and counted as malleated', () => {
    const scores = new PeerScores(clock().read);
    expect(scores.penalize('p', 'mutatedBlock').score).toBe(MAX_SCORE - PENALTY.mutatedBlock);
    expect(scores.counts('p')).toEqual({ invalid: 1, malleated: 1 });
  });
});
