import { describe, expect, it } from 'vitest';
import { formatRecordTime, parseDataRecord, recordLine } from '../../../web/src/lib/data-record.js';

describe('parseDataRecord', () => {
  it('reads the demo’s and the tutorials’ record: author, timestamp, data', () => {
    const text = JSON.stringify({ author: 'bob', data: 'Bob owes Alice 3 coffees', timestamp: 1700000000 });
    expect(parseDataRecord(text)).toEqual({
      author: 'bob',
      timestamp: 1700000000,
      data: 'Bob owes Alice 3 coffees',
    });
    // Key order and white space do not matter.
    expect(parseDataRecord(' {"timestamp": 1.5, "data": "", "author": "a"} ')).toEqual({
      author: 'a',
      timestamp: 1.5,
      data: '',
    });
  });

  it('reads the simple-blockchain tutorial’s record, whose payload is "content"', () => {
    const text = '{"author": "carol", "content": "hello", "timestamp": 1712345678.25}';
    expect(parseDataRecord(text)).toEqual({ author: 'carol', timestamp: 1712345678.25, data: 'hello' });
  });

  it('takes a timestamp written as a string', () => {
    expect(parseDataRecord('{"author":"x","timestamp":"2024-05-01T10:00:00Z","data":"d"}')).toMatchObject({
      timestamp: '2024-05-01T10:00:00Z',
    });
  });

  it('is not a record with an extra key, or a missing one, or both payload names', () => {
    expect(parseDataRecord('{"author":"a","timestamp":1,"data":"d","amount":5}')).toBeNull();
    expect(parseDataRecord('{"author":"a","timestamp":1}')).toBeNull();
    expect(parseDataRecord('{"author":"a","data":"d","content":"c"}')).toBeNull();
    expect(parseDataRecord('{"author":"a","timestamp":1,"data":"d","content":"c"}')).toBeNull();
    expect(parseDataRecord('{"writer":"a","timestamp":1,"data":"d"}')).toBeNull();
  });

  it('is not a record when the text is not a JSON object', () => {
    for (const text of [
      'Bob owes Alice 3 coffees',
      '{author: "a", timestamp: 1, data: "d"}',
      '{"author":"a","timestamp":1,"data":"d"',
      '[{"author":"a","timestamp":1,"data":"d"}]',
      'null',
      '42',
      '',
      null,
      undefined,
    ]) {
      expect(parseDataRecord(text), String(text)).toBeNull();
    }
  });

  it('is not a record when a field has the wrong type', () => {
    for (const fields of [
      { author: 7, timestamp: 1, data: 'd' },
      { author: null, timestamp: 1, data: 'd' },
      { author: 'a', timestamp: 1, data: { nested: true } },
      { author: 'a', timestamp: 1, data: 3 },
      { author: 'a', timestamp: true, data: 'd' },
      { author: 'a', timestamp: -1, data: 'd' },
      { author: 'a', timestamp: '  ', data: 'd' },
      { author: 'a', timestamp: null, data: 'd' },
      { author: 'a', timestamp: [1], data: 'd' },
    ]) {
      expect(parseDataRecord(JSON.stringify(fields)), JSON.stringify(fields)).toBeNull();
    }
  });
});

describe('formatRecordTime and recordLine', () => {
  it('shows a number as a date with the number, seconds or milliseconds alike', () => {
    const seconds = formatRecordTime(1700000000);
    expect(seconds).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \(1700000000\)$/);
    expect(formatRecordTime(1700000000000).slice(0, 19)).toBe(seconds.slice(0, 19));
    expect(formatRecordTime('yesterday')).toBe('yesterday');
  });

  it('writes "author: data" on one line, cut with an ellipsis', () => {
    const record = { author: 'bob', timestamp: 1, data: 'owes\nAlice   3 coffees' };
    expect(recordLine(record)).toBe('bob: owes Alice 3 coffees');
    const cut = recordLine({ ...record, data: 'x'.repeat(100) }, 20);
    expect(cut).toHaveLength(20);
    expect(cut).toBe(`bob: ${'x'.repeat(14)}…`);
  });
});
