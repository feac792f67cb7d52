// Field checks of the class messages: each decoded value is checked for type, range and shape, so that a
// message either gives a well-formed ClassState / ClassReport or a ClassMessageError naming the field.
import {
  CLASS_MAX_MEMBERS,
  CLASS_REPORT_BLOCKS,
  type ClassGroup,
  type ClassReport,
  type ClassState,
  type ReportedBlock,
} from './types.js';

export type ClassMessageErrorCode = 'too-large' | 'malformed' | 'bad-field';

export class ClassMessageError extends Error {
  constructor(
    readonly code: ClassMessageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClassMessageError';
  }
}

/** Network tags (`dev-class-7f3a`) and network ids: lowercase letters, digits and '-'. */
const NETWORK_TAG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const NETWORK_ID = /^[a-z0-9][a-z0-9-]{0,23}$/;
/** Peer ids in their base58btc form (an Ed25519 one is 52 characters). */
const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{1,128}$/;
export const MEMBER_NAME = /^[A-Za-z0-9 _.-]{1,24}$/;
const ADDRESS = /^[A-Za-z0-9]{1,100}$/;
const HASH = /^[0-9a-f]{64}$/;
/** A day: more than any class would wait between blocks. */
const MAX_INTERVAL_SECONDS = 86_400;

export type Fields = Record<string, unknown>;

export function fail(field: string, why: string): never {
  throw new ClassMessageError('bad-field', `${field}: ${why}`);
}

export function objectOf(value: unknown, field: string, keys: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'not an object');
  const found = Object.keys(value);
  const extra = found.find((k) => !keys.includes(k));
  if (extra !== undefined) fail(field, `unknown field "${extra}"`);
  const missing = keys.find((k) => !found.includes(k));
  if (missing !== undefined) fail(field, `missing field "${missing}"`);
  return value as Fields;
}

function intOf(value: unknown, field: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max)
    fail(field, `not an integer from 0 to ${max}`);
  return value;
}

function boolOf(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, 'not true or false');
  return value;
}

function textOf(value: unknown, field: string, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) fail(field, `not of the form ${pattern.source}`);
  return value;
}

function groupOf(value: unknown, field: string): ClassGroup {
  if (value !== 'A' && value !== 'B') fail(field, 'not "A" or "B"');
  return value;
}

export const STATE_KEYS = [
  'seq',
  'issuedAt',
  'network',
  'teacherPeer',
  'mining',
  'intervalSeconds',
  'mode',
  'groups',
  'resetTo',
] as const;

export const REPORT_KEYS = [
  'peerId',
  'name',
  'kind',
  'address',
  'height',
  'tip',
  'hashRate',
  'blocksFound',
  'mining',
  'group',
  'recent',
  'at',
] as const;

const BLOCK_KEYS = ['hash', 'prev', 'height'] as const;

export function stateOf(value: unknown): ClassState {
  const f = objectOf(value, 'state', STATE_KEYS);
  const mode = f.mode;
  if (mode !== 'together' && mode !== 'split' && mode !== 'race') fail('state.mode', 'not a mode');
  const groups = objectOf(f.groups, 'state.groups', Object.keys(f.groups ?? {}));
  const entries = Object.entries(groups);
  if (entries.length > CLASS_MAX_MEMBERS) fail('state.groups', `more than ${CLASS_MAX_MEMBERS} members`);
  const checked: Record<string, ClassGroup> = {};
  for (const [peer, group] of entries) {
    textOf(peer, 'state.groups', PEER_ID);
    checked[peer] = groupOf(group, `state.groups.${peer}`);
  }
  return {
    seq: intOf(f.seq, 'state.seq'),
    issuedAt: intOf(f.issuedAt, 'state.issuedAt'),
    network: textOf(f.network, 'state.network', NETWORK_TAG),
    teacherPeer: textOf(f.teacherPeer, 'state.teacherPeer', PEER_ID),
    mining: boolOf(f.mining, 'state.mining'),
    intervalSeconds: intOf(f.intervalSeconds, 'state.intervalSeconds', MAX_INTERVAL_SECONDS),
    mode,
    groups: checked,
    resetTo: f.resetTo === null ? null : textOf(f.resetTo, 'state.resetTo', NETWORK_ID),
  };
}

function blockOf(value: unknown, field: string): ReportedBlock {
  const f = objectOf(value, field, BLOCK_KEYS);
  return {
    hash: textOf(f.hash, `${field}.hash`, HASH),
    prev: textOf(f.prev, `${field}.prev`, HASH),
    height: intOf(f.height, `${field}.height`),
  };
}

export function reportOf(value: unknown): ClassReport {
  const f = objectOf(value, 'report', REPORT_KEYS);
  const kind = f.kind;
  if (kind !== 'browser' && kind !== 'full' && kind !== 'teacher')
    fail('report.kind', 'not a kind of member');
  if (!Array.isArray(f.recent) || f.recent.length > CLASS_REPORT_BLOCKS)
    fail('report.recent', `not a list of at most ${CLASS_REPORT_BLOCKS} blocks`);
  const hashRate = f.hashRate;
  if (typeof hashRate !== 'number' || !Number.isFinite(hashRate) || hashRate < 0 || hashRate > 1e15)
    fail('report.hashRate', 'not a rate');
  return {
    peerId: textOf(f.peerId, 'report.peerId', PEER_ID),
    name: textOf(f.name, 'report.name', MEMBER_NAME),
    kind,
    address: textOf(f.address, 'report.address', ADDRESS),
    height: intOf(f.height, 'report.height'),
    tip: textOf(f.tip, 'report.tip', HASH),
    hashRate,
    blocksFound: intOf(f.blocksFound, 'report.blocksFound'),
    mining: boolOf(f.mining, 'report.mining'),
    group: f.group === null ? null : groupOf(f.group, 'report.group'),
    recent: f.recent.map((b, i) => blockOf(b, `report.recent[${i}]`)),
    at: intOf(f.at, 'report.at'),
  };
}
