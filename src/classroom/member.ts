// Placeholder until the class member lands: the contract's constructor and methods, doing nothing.
import type { ClassControls, ClassGroup, ClassNet, ClassSelf, ClassState, RosterEntry } from './types.js';

export interface ClassMemberOptions {
  readonly net: ClassNet;
  readonly network: string;
  readonly teacherKey: Uint8Array;
  readonly self: ClassSelf;
  readonly controls: ClassControls;
  readonly teacher?: boolean;
  readonly now?: () => number;
}

export class ClassMember {
  constructor(readonly opts: ClassMemberOptions) {}
  start(): void {}
  stop(): void {}
  state(): ClassState | null {
    return null;
  }
  group(): ClassGroup | null {
    return null;
  }
  roster(): RosterEntry[] {
    return [];
  }
  addressOf(_name: string): string | undefined {
    return undefined;
  }
  onChange(_listener: () => void): () => void {
    return () => {};
  }
}
