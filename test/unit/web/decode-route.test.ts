// The Decode page's hash routes (#/decode, and #/decode/<hex, txid, hash or height> filled in), and which
// outputs the transaction tables mark as change.
import { describe, expect, it } from 'vitest';
import { changeOutputs } from '../../../web/src/components/tx/TxIoTables.js';
import { href, parseRoute } from '../../../web/src/lib/route.js';

describe('decode route', () => {
  it('parses and builds #/decode with and without an input', () => {
    expect(parseRoute('#/decode')).toEqual({ page: 'decode' });
    expect(parseRoute(href.decode())).toEqual({ page: 'decode' });
    const hex = 'ab'.repeat(100);
    expect(parseRoute(href.decode(hex))).toEqual({ page: 'decode', input: hex });
    expect(parseRoute(href.decode('12'))).toEqual({ page: 'decode', input: '12' });
    expect(parseRoute('#/decode/a/b').page).toBe('not-found');
  });
});

describe('change outputs', () => {
  const input = (address: string | null) => ({
    prevTxid: '00'.repeat(32),
    prevIndex: 0,
    publicKey: '',
    signature: '',
    address,
    amount: null,
    sequence: 0xffffffff,
    policy: null,
    witness: null,
  });
  const output = (index: number, address: string) => ({ index, amount: '1', address, kind: 'key' as const });

  it('are the outputs paying back to an input’s address', () => {
    const tx = {
      inputs: [input('a'), input('b')],
      outputs: [output(0, 'c'), output(1, 'b'), output(2, 'a')],
    };
    expect([...changeOutputs(tx)]).toEqual([1, 2]);
    expect([...changeOutputs({ inputs: [input(null)], outputs: [output(0, 'c')] })]).toEqual([]);
    expect([...changeOutputs({ inputs: [], outputs: [output(0, 'c')] })]).toEqual([]);
  });
});
