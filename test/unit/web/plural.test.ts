import { describe, expect, it } from 'vitest';
import { axisPadding } from '../../../web/src/components/LineChart.js';
import { formatHashRate } from '../../../web/src/lib/format.js';
import { plural } from '../../../web/src/lib/plural.js';

describe('plural', () => {
  it('uses the singular for exactly one, and the plural otherwise', () => {
    expect(plural(1, 'confirmation')).toBe('1 confirmation');
    expect(plural(2, 'confirmation')).toBe('2 confirmations');
    expect(plural(0, 'block')).toBe('0 blocks');
    expect(plural(-1, 'unit')).toBe('-1 unit');
    expect(plural(1n, 'coin')).toBe('1 coin');
    expect(plural(3n, 'coin')).toBe('3 coins');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
});

describe('axisPadding', () => {
  it('leaves room for the longest y label of the hash-rate chart', () => {
    const labels = [0, 61_725, 123_450].map(formatHashRate);
    expect(labels).toEqual(['0 H/s', '61.73 kH/s', '123 kH/s']);
    // 10 px monospace runs about 6 px a character; the label ends 6 units left of the plot.
    expect(axisPadding(labels) - 6).toBeGreaterThanOrEqual('61.73 kH/s'.length * 6.2);
    expect(axisPadding(['1'])).toBe(40);
  });
});
