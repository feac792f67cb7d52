import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ClassMessageError,
  controlSigningBytes,
  decodeClassMessage,
  encodeReportMessage,
  encodeStateMessage,
  signReport,
  signState,
  verifyReport,
  verifyState,
} from '../../../src/classroom/messages.js';
import { CLASS_MAX_MESSAGE_BYTES, type ClassState } from '../../../src/classroom/types.js';
import { toHex } from '../../../src/core/bytes.js';
import { generateKeyPair, keyPairFromPrivate } from '../../../src/crypto/ed25519.js';
import { FakeNet, reportOf } from './helpers.js';

const SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const VECTOR_STATE: ClassState = {
  seq: 1767225600000,
  issuedAt: 1767225600000,
  network: 'dev-class-7f3a',
  teacherPeer: '12D3KooWDZLtPRLkYT8VgKFerk535uu6wXcuzB732L5cmRjnYCmR',
  mining: true,
  intervalSeconds: 10,
  mode: 'split',
  // Not in canonical order: the signing bytes sort them.
  groups: {
    '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo': 'B',
    '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN': 'A',
  },
  resetTo: null,
};

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytesOf = (s: string) => new TextEncoder().encode(s);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ClassMessageError) return err.code;
    throw err;
  }
  return undefined;
}

/** The vector of docs/protocol.md, "Classroom messages": its key, public key and message line. */
function docVector(): { seed: string; publicKey: string; message: string } {
  const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Classroom messages'), doc.indexOf('## Test vectors'));
  const vector = section.slice(section.indexOf('**Vector.**'));
  const [, seed, publicKey] = /seed\) `([0-9a-f]{64})`[\s\S]*?public key `([0-9a-f]{64})`/.exec(vector)!;
  const message = /```text\n(.*)\n```/.exec(vector)![1]!;
  return { seed: seed!, publicKey: publicKey!, message };
}

describe('class messages', () => {
  it('match the vector of docs/protocol.md byte for byte', () => {
    const doc = docVector();
    expect(doc.seed).toBe(toHex(SEED));
    expect(toHex(keyPairFromPrivate(SEED).publicKey)).toBe(doc.publicKey);
    const signed = signState(VECTOR_STATE, SEED);
    expect(text(encodeStateMessage(signed))).toBe(doc.message);
    const decoded = decodeClassMessage(bytesOf(doc.message));
    expect(decoded.t).toBe('state');
    if (decoded.t !== 'state') return;
    expect(verifyState(decoded.signed, keyPairFromPrivate(SEED).publicKey)).toBe(true);
    const stateJson = JSON.stringify(JSON.parse(doc.message).state);
    expect(text(controlSigningBytes(decoded.signed.state))).toBe(`hashline-class-state/1\n${stateJson}`);
  });

  it('refuse a state signed by another key, and one with any field changed', () => {
    const teacher = keyPairFromPrivate(SEED).publicKey;
    const other = generateKeyPair();
    expect(verifyState(signState(VECTOR_STATE, other.privateKey), teacher)).toBe(false);
    const signed = signState(VECTOR_STATE, SEED);
    for (const change of [
      { mining: false },
      { seq: VECTOR_STATE.seq + 1 },
      { network: 'dev-class-0000' },
      { teacherPeer: '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN' },
      {
        groups: {
          ...VECTOR_STATE.groups,
          '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN': 'B' as const,
        },
      },
      { resetTo: 'class-2' },
    ]) {
      expect(
        verifyState({ state: { ...VECTOR_STATE, ...change }, signature: signed.signature }, teacher),
      ).toBe(false);
    }
    // A tampered message on the wire decodes, but does not verify.
    const wire = text(encodeStateMessage(signed)).replace('"intervalSeconds":10', '"intervalSeconds":0');
    const decoded = decodeClassMessage(bytesOf(wire));
    expect(decoded.t === 'state' && verifyState(decoded.signed, teacher)).toBe(false);
  });

  it('verify a report with the key its peer id names, and no other', async () => {
    const net = await FakeNet.create();
    const other = await FakeNet.create();
    const signed = await signReport(reportOf(net.peerId, 1000), (b) => net.sign(b));
    const decoded = decodeClassMessage(encodeReportMessage(signed));
    expect(decoded.t === 'report' && verifyReport(decoded.signed)).toBe(true);
    // Signed by another member's key, under this one's peer id: forged.
    const forged = await signReport(reportOf(net.peerId, 1000), (b) => other.sign(b));
    expect(verifyReport(forged)).toBe(false);
    expect(verifyReport({ ...signed, report: { ...signed.report, height: 2 } })).toBe(false);
  });

  it('bound the size and check every field, with typed errors', () => {
    const signed = signState(VECTOR_STATE, SEED);
    const good = text(encodeStateMessage(signed));
    expect(codeOf(() => decodeClassMessage(new Uint8Array(CLASS_MAX_MESSAGE_BYTES + 1)))).toBe('too-large');
    expect(codeOf(() => decodeClassMessage(bytesOf('{"t":"state"')))).toBe('malformed');
    expect(codeOf(() => decodeClassMessage(Uint8Array.of(0xff, 0xfe)))).toBe('malformed');
    expect(codeOf(() => decodeClassMessage(bytesOf('{"t":"other"}')))).toBe('malformed');
    expect(codeOf(() => decodeClassMessage(bytesOf('null')))).toBe('malformed');
    const bad = (from: string, to: string) =>
      codeOf(() => decodeClassMessage(bytesOf(good.replace(from, to))));
    expect(bad('"mining":true', '"mining":1')).toBe('bad-field');
    expect(bad('"teacherPeer":"12D3', '"teacherPeer":"0OIl')).toBe('bad-field');
    expect(bad(',"teacherPeer":"12D3KooWDZLtPRLkYT8VgKFerk535uu6wXcuzB732L5cmRjnYCmR"', '')).toBe(
      'bad-field',
    );
    expect(bad('"seq":1767225600000', '"seq":-1')).toBe('bad-field');
    expect(bad('"seq":1767225600000', '"seq":1.5')).toBe('bad-field');
    expect(bad('"mode":"split"', '"mode":"chaos"')).toBe('bad-field');
    expect(bad('"resetTo":null', '"resetTo":"Not An Id"')).toBe('bad-field');
    expect(bad('"resetTo":null', '"resetTo":null,"spend":1')).toBe('bad-field');
    expect(bad('"intervalSeconds":10', '"intervalSeconds":86401')).toBe('bad-field');
    expect(bad('"sig":"ba', '"sig":"BA')).toBe('bad-field');
    expect(bad(':"B"}', ':"C"}')).toBe('bad-field');
    // More than 64 members in the groups (and still under the byte bound).
    const groups = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`p${i}`, 'A']));
    const many = JSON.stringify({ t: 'state', state: { ...VECTOR_STATE, groups }, sig: 'ab'.repeat(64) });
    expect(many.length).toBeLessThan(CLASS_MAX_MESSAGE_BYTES);
    expect(codeOf(() => decodeClassMessage(bytesOf(many)))).toBe('bad-field');
    // A report with more than 12 recent blocks, and one with a bad name.
    const report = reportOf('12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN', 1);
    const recent = Array.from({ length: 13 }, () => report.recent[0]);
    const long = JSON.stringify({ t: 'report', report: { ...report, recent }, sig: 'ab'.repeat(64) });
    expect(codeOf(() => decodeClassMessage(bytesOf(long)))).toBe('bad-field');
    const named = JSON.stringify({
      t: 'report',
      report: { ...report, name: '<script>' },
      sig: 'ab'.repeat(64),
    });
    expect(codeOf(() => decodeClassMessage(bytesOf(named)))).toBe('bad-field');
  });
});
