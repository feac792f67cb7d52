// The learn path's routes and step order.
import { describe, expect, it } from 'vitest';
import { LEARN_STEPS, neighbours, stepBySlug } from '../../../web/src/learn/lib/steps.js';
import { href, parseRoute } from '../../../web/src/lib/route.js';

describe('learn routes', () => {
  it('parses a step and a step with an id, and builds them back', () => {
    expect(parseRoute('#/learn')).toEqual({ page: 'learn' });
    expect(parseRoute('#/learn/keys')).toEqual({ page: 'learn', step: 'keys' });
    expect(parseRoute('#/learn/inspect/12')).toEqual({ page: 'learn', step: 'inspect', arg: '12' });
    expect(parseRoute('#/learn/a/b/c').page).toBe('not-found');
    expect(parseRoute(href.learn('inspect', 'ab cd'))).toEqual({
      page: 'learn',
      step: 'inspect',
      arg: 'ab cd',
    });
    expect(href.learn()).toBe('#/learn');
  });

  it('lists every step once, in order, with neighbours', () => {
    const slugs = LEARN_STEPS.map((s) => s.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    expect(slugs.slice(0, 8)).toEqual([
      '',
      'keys',
      'transactions',
      'policies',
      'coinbase',
      'difficulty',
      'forks',
      'attack',
    ]);
    expect(neighbours('keys').prev?.slug).toBe('');
    expect(neighbours('keys').next?.slug).toBe('transactions');
    // Spending conditions come right after transactions; the later steps keep their slugs.
    expect(neighbours('policies').prev?.slug).toBe('transactions');
    expect(neighbours('policies').next?.slug).toBe('coinbase');
    expect(LEARN_STEPS.filter((s) => s.label !== 'Tool').map((s) => s.label)).toEqual([
      '1–4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
      '11',
    ]);
    expect(neighbours('').prev).toBeUndefined();
    expect(stepBySlug('nope')).toBeUndefined();
  });
});
