// The teacher: signs the class state with the teacher's Ed25519 key and publishes it on the class topic,
// on every control and every CLASS_STATE_REPUBLISH_MS (as a new state with the same fields, so that
// gossip, which drops a message it has seen, carries it to members that joined since).
import { networkIdProblem } from '../core/network-id.js';
import type { ClassMember } from './member.js';
import { ClassMessageError, encodeStateMessage, signState } from './messages.js';
import {
  CLASS_MAX_MEMBERS,
  CLASS_STATE_REPUBLISH_MS,
  type ClassGroup,
  type ClassNet,
  type ClassState,
} from './types.js';

export type ClassControlRequest = Partial<{
  mining: boolean;
  intervalSeconds: number;
  mode: ClassState['mode'];
  groups: Record<string, ClassGroup>;
  reset: string;
}>;

export interface ClassTeacherOptions {
  readonly member: ClassMember;
  readonly net: ClassNet;
  readonly network: string;
  /** The teacher's Ed25519 private key (32-byte seed). */
  readonly teacherPrivateKey: Uint8Array;
  readonly now?: () => number;
  readonly onError?: (err: unknown) => void;
}

const MAX_INTERVAL_SECONDS = 86_400;

export class ClassTeacher {
  private readonly now: () => number;
  private state: ClassState;
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly opts: ClassTeacherOptions) {
    this.now = opts.now ?? Date.now;
    this.state = {
      seq: 0,
      issuedAt: 0,
      network: opts.network,
      teacherPeer: opts.net.peerId,
      mining: false,
      intervalSeconds: 0,
      mode: 'together',
      groups: {},
      resetTo: null,
    };
  }

  /** Publishes the first state and re-publishes every CLASS_STATE_REPUBLISH_MS. */
  start(): void {
    if (this.timer) return;
    this.issue({});
    this.timer = setInterval(() => this.issue({}), CLASS_STATE_REPUBLISH_MS);
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  current(): ClassState {
    return this.state;
  }

  /** Signs and publishes the next state with `change` applied; throws ClassMessageError on a bad field. */
  control(change: ClassControlRequest): ClassState {
    checkControl(change);
    return this.issue(change);
  }

  private issue(change: ClassControlRequest): ClassState {
    const now = this.now();
    const previous = this.state;
    const mode = change.mode ?? previous.mode;
    const state: ClassState = {
      // The clock's milliseconds: a teacher that restarts still goes on above what members applied.
      seq: Math.max(previous.seq + 1, now),
      issuedAt: now,
      network: this.opts.network,
      teacherPeer: this.opts.net.peerId,
      mining: change.mining ?? previous.mining,
      intervalSeconds: change.intervalSeconds ?? previous.intervalSeconds,
      mode,
      groups: mode === 'together' ? {} : groupB(change.groups ?? previous.groups),
      resetTo: change.reset ?? previous.resetTo,
    };
    const signed = signState(state, this.opts.teacherPrivateKey);
    const bytes = encodeStateMessage(signed);
    this.state = state;
    this.opts.member.offerState(signed);
    this.opts.net
      .publishTopic(this.opts.member.topic, bytes)
      .catch((err: unknown) => this.opts.onError?.(err));
    return state;
  }
}

/** Only the members of B: the unlisted are in A, and a class of 64 listed in full would not fit in a message. */
function groupB(groups: Readonly<Record<string, ClassGroup>>): Record<string, ClassGroup> {
  return Object.fromEntries(Object.entries(groups).filter(([, group]) => group === 'B'));
}

function bad(message: string): never {
  throw new ClassMessageError('bad-field', message);
}

function checkControl(change: ClassControlRequest): void {
  const { mining, intervalSeconds, mode, groups, reset } = change;
  if (mining !== undefined && typeof mining !== 'boolean') bad('mining: not true or false');
  if (
    intervalSeconds !== undefined &&
    (!Number.isSafeInteger(intervalSeconds) || intervalSeconds < 0 || intervalSeconds > MAX_INTERVAL_SECONDS)
  )
    bad(`intervalSeconds: not an integer from 0 to ${MAX_INTERVAL_SECONDS}`);
  if (mode !== undefined && mode !== 'together' && mode !== 'split' && mode !== 'race')
    bad('mode: not a mode');
  if (groups !== undefined) {
    if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) bad('groups: not an object');
    const entries = Object.entries(groups);
    if (entries.length > CLASS_MAX_MEMBERS) bad(`groups: more than ${CLASS_MAX_MEMBERS} members`);
    for (const [, g] of entries) if (g !== 'A' && g !== 'B') bad('groups: a group is "A" or "B"');
  }
  if (reset !== undefined) {
    const problem = typeof reset === 'string' ? networkIdProblem(reset) : 'reset: not a network id';
    if (problem) bad(problem);
  }
}
