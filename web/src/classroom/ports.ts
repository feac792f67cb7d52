// Where the student page meets the other parts of the classroom: the browser node (web/src/node) and the
// class member (src/classroom). The page takes these as a parameter, so tests run it on fakes.
import { ClassMember } from '../../../src/classroom/member.js';
import type {
  ClassControls,
  ClassGroup,
  ClassNet,
  ClassSelf,
  ClassState,
  RosterEntry,
} from '../../../src/classroom/types.js';
import { startBrowserNode } from '../node/browser-node.js';
import type { BrowserNode, BrowserNodeOptions } from '../node/types.js';

/** The part of ClassMember the page uses. */
export interface StudentMember {
  start(): void;
  stop(): void;
  state(): ClassState | null;
  group(): ClassGroup | null;
  roster(): RosterEntry[];
  addressOf(name: string): string | undefined;
  onChange(listener: () => void): () => void;
}

export interface MemberOptions {
  readonly net: ClassNet;
  readonly network: string;
  readonly teacherKey: Uint8Array;
  readonly self: ClassSelf;
  readonly controls: ClassControls;
}

export interface ClassroomPorts {
  startNode(opts: BrowserNodeOptions): Promise<BrowserNode>;
  createMember(opts: MemberOptions): StudentMember;
  /** The node's network layer as the class member's transport (P2PNetwork implements ClassNet). */
  classNetOf(node: BrowserNode): ClassNet;
}

export const browserPorts: ClassroomPorts = {
  startNode: async (opts) => {
    const node = await startBrowserNode(opts);
    // As on the tab-node page: the running node, for the console and the browser tests.
    window.hashlineNode = node;
    return node;
  },
  createMember: (opts) => new ClassMember(opts),
  classNetOf: (node) => node.p2p,
};
