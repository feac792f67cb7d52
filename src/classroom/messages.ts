// The class topic's two messages on the wire (README.md in this folder; docs/protocol.md, "Classroom
// messages"): UTF-8 JSON of at most CLASS_MAX_MESSAGE_BYTES, decoded with every field checked, and
// their signatures. A state is signed by the teacher's Ed25519 key, a report by the member's libp2p key
// (its peer id names the public key). What is signed is a fixed prefix and the canonical JSON of the
// state or report: keys in the order of the types, groups sorted by peer id.
import { peerIdFromString } from '@libp2p/peer-id';
import { fromHex, toHex } from '../core/bytes.js';
import { sign, verify } from '../crypto/ed25519.js';
import { ClassMessageError, fail, objectOf, reportOf, stateOf } from './fields.js';
import {
  CLASS_MAX_MESSAGE_BYTES,
  type ClassReport,
  type ClassState,
  type SignedClassReport,
  type SignedClassState,
} from './types.js';

export { ClassMessageError, type ClassMessageErrorCode } from './fields.js';

export const STATE_SIGNING_PREFIX = 'hashline-class-state/1\n';
export const REPORT_SIGNING_PREFIX = 'hashline-class-report/1\n';

export type ClassMessage =
  | { readonly t: 'state'; readonly signed: SignedClassState }
  | { readonly t: 'report'; readonly signed: SignedClassReport };

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });
/** An Ed25519 signature; a report's key may in principle be another kind, with a longer one. */
const STATE_SIG = /^[0-9a-f]{128}$/;
const REPORT_SIG = /^[0-9a-f]{2,1024}$/;

/** The state with its keys in ClassState's order and its groups sorted by peer id. */
function canonicalState(state: ClassState): ClassState {
  const groups: Record<string, ClassState['groups'][string]> = {};
  for (const peer of Object.keys(state.groups).sort()) groups[peer] = state.groups[peer]!;
  return {
    seq: state.seq,
    issuedAt: state.issuedAt,
    network: state.network,
    teacherPeer: state.teacherPeer,
    mining: state.mining,
    intervalSeconds: state.intervalSeconds,
    mode: state.mode,
    groups,
    resetTo: state.resetTo,
  };
}

function canonicalReport(report: ClassReport): ClassReport {
  return {
    peerId: report.peerId,
    name: report.name,
    kind: report.kind,
    address: report.address,
    height: report.height,
    tip: report.tip,
    hashRate: report.hashRate,
    blocksFound: report.blocksFound,
    mining: report.mining,
    group: report.group,
    recent: report.recent.map((b) => ({ hash: b.hash, prev: b.prev, height: b.height })),
    at: report.at,
  };
}

export function controlSigningBytes(state: ClassState): Uint8Array {
  return utf8.encode(STATE_SIGNING_PREFIX + JSON.stringify(canonicalState(state)));
}

export function reportSigningBytes(report: ClassReport): Uint8Array {
  return utf8.encode(REPORT_SIGNING_PREFIX + JSON.stringify(canonicalReport(report)));
}

function bounded(text: string): Uint8Array {
  const bytes = utf8.encode(text);
  if (bytes.length > CLASS_MAX_MESSAGE_BYTES)
    throw new ClassMessageError('too-large', `class message of ${bytes.length} bytes`);
  return bytes;
}

export function encodeStateMessage(signed: SignedClassState): Uint8Array {
  const state = canonicalState(stateOf(signed.state));
  return bounded(JSON.stringify({ t: 'state', state, sig: toHex(signed.signature) }));
}

export function encodeReportMessage(signed: SignedClassReport): Uint8Array {
  const report = canonicalReport(reportOf(signed.report));
  return bounded(JSON.stringify({ t: 'report', report, sig: toHex(signed.signature) }));
}

/** Decodes a class message; throws ClassMessageError (too large, not JSON, a bad field). Checks no signature. */
export function decodeClassMessage(data: Uint8Array): ClassMessage {
  if (data.length > CLASS_MAX_MESSAGE_BYTES)
    throw new ClassMessageError('too-large', `class message of ${data.length} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(utf8Strict.decode(data));
  } catch {
    throw new ClassMessageError('malformed', 'not UTF-8 JSON');
  }
  const t = (value as { t?: unknown } | null)?.t;
  if (t === 'state') {
    const f = objectOf(value, 'message', ['t', 'state', 'sig']);
    if (typeof f.sig !== 'string' || !STATE_SIG.test(f.sig)) fail('sig', 'not 64 bytes of lowercase hex');
    return { t, signed: { state: stateOf(f.state), signature: fromHex(f.sig) } };
  }
  if (t === 'report') {
    const f = objectOf(value, 'message', ['t', 'report', 'sig']);
    if (typeof f.sig !== 'string' || !REPORT_SIG.test(f.sig) || f.sig.length % 2 !== 0)
      fail('sig', 'not lowercase hex of at most 512 bytes');
    return { t, signed: { report: reportOf(f.report), signature: fromHex(f.sig) } };
  }
  throw new ClassMessageError('malformed', 'not a class message ("t" is not "state" or "report")');
}

export function signState(state: ClassState, teacherPrivateKey: Uint8Array): SignedClassState {
  return { state, signature: sign(controlSigningBytes(state), teacherPrivateKey) };
}

/** True when the teacher's key signed exactly this state. */
export function verifyState(signed: SignedClassState, teacherPublicKey: Uint8Array): boolean {
  return verify(teacherPublicKey, controlSigningBytes(signed.state), signed.signature);
}

/** True when the key named by `report.peerId` (an Ed25519 peer id) signed exactly this report. */
export function verifyReport(signed: SignedClassReport): boolean {
  let publicKey: Uint8Array;
  try {
    const id = peerIdFromString(signed.report.peerId);
    if (id.type !== 'Ed25519') return false;
    publicKey = id.publicKey.raw;
  } catch {
    return false;
  }
  return verify(publicKey, reportSigningBytes(signed.report), signed.signature);
}

/** Signs a report with a member's libp2p key (ClassNet.sign). */
export async function signReport(
  report: ClassReport,
  signWithPeerKey: (data: Uint8Array) => Promise<Uint8Array>,
): Promise<SignedClassReport> {
  return { report, signature: await signWithPeerKey(reportSigningBytes(report)) };
}
