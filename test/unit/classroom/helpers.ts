// A fake class network for the member and teacher tests: records topics, publishes, filters.
import type {
  ClassControls,
  ClassNet,
  ClassReport,
  ClassSelf,
  ClassVerdict,
} from '../../../src/classroom/types.js';
import { generatePeerKey, type PeerKey, peerIdOf } from '../../../src/p2p/keys.js';

export class FakeNet implements ClassNet {
  handler?: (data: Uint8Array, from: string) => ClassVerdict;
  readonly published: Uint8Array[] = [];
  filter: ((peerId: string) => boolean) | null = null;
  filterChanges = 0;

  constructor(
    readonly peerId: string,
    private readonly key: PeerKey,
  ) {}

  static async create(): Promise<FakeNet> {
    const key = await generatePeerKey();
    return new FakeNet(peerIdOf(key), key);
  }

  addTopic(_topic: string, onMessage: (data: Uint8Array, from: string) => ClassVerdict): void {
    this.handler = onMessage;
  }

  async publishTopic(_topic: string, data: Uint8Array): Promise<void> {
    this.published.push(data);
  }

  setPeerFilter(accept: ((peerId: string) => boolean) | null): void {
    this.filter = accept;
    this.filterChanges++;
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return await this.key.sign(data);
  }
}

export class FakeControls implements ClassControls {
  readonly mining: Array<[boolean, number]> = [];
  readonly resets: string[] = [];
  setMining(on: boolean, intervalSeconds: number): void {
    this.mining.push([on, intervalSeconds]);
  }
  resetTo(networkId: string): void {
    this.resets.push(networkId);
  }
}

export const HASH_A = 'aa'.repeat(32);
export const HASH_B = 'bb'.repeat(32);

export function fakeSelf(name: string, kind: ClassSelf['kind'] = 'full'): ClassSelf {
  return {
    kind,
    name: () => name,
    address: () => 'hl1qexampleaddress',
    height: () => 1,
    tip: () => HASH_A,
    hashRate: () => 12.5,
    mining: () => false,
    blocksFound: () => 0,
    recent: () => [{ hash: HASH_A, prev: HASH_B, height: 1 }],
  };
}

export function reportOf(peerId: string, at: number, over: Partial<ClassReport> = {}): ClassReport {
  return {
    peerId,
    name: 'ada',
    kind: 'full',
    address: 'hl1qexampleaddress',
    height: 1,
    tip: HASH_A,
    hashRate: 0,
    blocksFound: 0,
    mining: false,
    group: null,
    recent: [{ hash: HASH_A, prev: HASH_B, height: 1 }],
    at,
    ...over,
  };
}
