// The full node as a class member (src/classroom): what it reports on itself (ClassSelf), what the
// teacher's states may make it do (ClassControls: mining, and moving to another network), and, on the
// teacher's node, the teacher. A state cannot reach anything else of the node.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Chain } from '../chain/chain.js';
import type { ChainEntry } from '../chain/entry.js';
import { ClassMember } from '../classroom/member.js';
import { ClassTeacher } from '../classroom/teacher.js';
import type { ClassControls, ClassNet, ClassSelf, ReportedBlock } from '../classroom/types.js';
import type { Block } from '../core/block.js';
import { equalBytes, toHex } from '../core/bytes.js';
import { keyPairFromPrivate } from '../crypto/ed25519.js';
import type { Miner } from '../miner/miner.js';

/** `NodeConfig.classroom`: the class this node belongs to. */
export interface ClassroomConfig {
  /** The teacher's Ed25519 public key (32 bytes): only states it signed are obeyed. */
  readonly teacherKey: Uint8Array;
  /** The teacher's private key (32-byte seed): only on the teacher's node, which then signs the states. */
  readonly teacherPrivateKey?: Uint8Array;
  /** This member's name in the class (1–24 of letters, digits, space, `-`, `_`, `.`). */
  readonly name: string;
}

/** What the classroom needs of the full node. */
export interface ClassroomHost {
  readonly chain: Chain;
  readonly miner: Miner;
  readonly net: ClassNet;
  /** The network tag (`networkTag(params)`). */
  readonly network: string;
  readonly log: Logger;
  /** The address the coinbase pays (encoded) and its hash. */
  readonly address: string;
  readonly addressHash: Uint8Array;
  setMining(on: boolean, intervalSeconds: number): void;
  isMining(): boolean;
}

/** Blocks looked at for `blocksFound` at start (then kept by connects and disconnects). */
const BLOCKS_FOUND_SCAN = 5_000;

export class NodeClassroom {
  readonly member: ClassMember;
  readonly teacher?: ClassTeacher;
  private readonly events = new EventEmitter<{ reset: [networkId: string] }>();
  private found = 0;
  private readonly unfollow: () => void;

  constructor(
    private readonly host: ClassroomHost,
    readonly config: ClassroomConfig,
  ) {
    const teaching = config.teacherPrivateKey !== undefined;
    if (teaching && !equalBytes(keyPairFromPrivate(config.teacherPrivateKey!).publicKey, config.teacherKey))
      throw new Error('the teacher private key does not match the class key');
    const log = host.log.child({ module: 'classroom' });
    const onError = (err: unknown) =>
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'class message not sent');
    this.member = new ClassMember({
      net: host.net,
      network: host.network,
      teacherKey: config.teacherKey,
      self: this.self(teaching ? 'teacher' : 'full'),
      controls: this.controls(log),
      teacher: teaching,
      onError,
    });
    if (teaching) {
      this.teacher = new ClassTeacher({
        member: this.member,
        net: host.net,
        network: host.network,
        teacherPrivateKey: config.teacherPrivateKey!,
        onError,
      });
    }
    this.unfollow = this.followFound();
  }

  start(): void {
    this.member.start();
    this.teacher?.start();
    void this.countFound();
  }

  stop(): void {
    this.teacher?.stop();
    this.member.stop();
    this.unfollow();
  }

  /** The class moved to network id `networkId` (the `hashline classroom` command restarts the node there). */
  onReset(listener: (networkId: string) => void): () => void {
    this.events.on('reset', listener);
    return () => this.events.off('reset', listener);
  }

  private controls(log: Logger): ClassControls {
    return {
      setMining: (on, intervalSeconds) => {
        log.info({ mining: on, intervalSeconds }, 'class state: mining');
        this.host.setMining(on, intervalSeconds);
      },
      resetTo: (networkId) => {
        log.warn({ networkId }, `the class moved to network ${networkId}: mining stopped here`);
        this.host.setMining(false, 0);
        this.events.emit('reset', networkId);
      },
    };
  }

  private self(kind: ClassSelf['kind']): ClassSelf {
    const { chain, miner } = this.host;
    return {
      kind,
      name: () => this.config.name,
      address: () => this.host.address,
      height: () => chain.height,
      tip: () => chain.tip.hashHex,
      hashRate: () => miner.hashRate(),
      mining: () => this.host.isMining(),
      blocksFound: () => this.found,
      recent: (count) => recentBlocks(chain.tip, count),
    };
  }

  private pays(block: Block): boolean {
    const coinbase = block.txs[0];
    return coinbase?.outputs.some((o) => equalBytes(o.address, this.host.addressHash)) ?? false;
  }

  private followFound(): () => void {
    const { chain } = this.host;
    const connect = (_entry: ChainEntry, block: Block) => {
      if (this.pays(block)) this.found++;
    };
    const disconnect = (_entry: ChainEntry, block: Block) => {
      if (this.pays(block)) this.found = Math.max(0, this.found - 1);
    };
    chain.on('connect', connect);
    chain.on('disconnect', disconnect);
    return () => {
      chain.off('connect', connect);
      chain.off('disconnect', disconnect);
    };
  }

  /** Counts the blocks of the active chain (its last BLOCKS_FOUND_SCAN) that pay this node. */
  private async countFound(): Promise<void> {
    const { chain } = this.host;
    let entry: ChainEntry | undefined = chain.tip;
    for (let i = 0; entry && entry.height > 0 && i < BLOCKS_FOUND_SCAN; i++, entry = entry.parent) {
      const block = await chain.getBlock(entry.hashHex).catch(() => undefined);
      if (block && this.pays(block)) this.found++;
    }
  }
}

/** The active chain's last `count` blocks from `tip`, tip first. */
export function recentBlocks(tip: ChainEntry, count: number): ReportedBlock[] {
  const out: ReportedBlock[] = [];
  for (let entry: ChainEntry | undefined = tip; entry && out.length < count; entry = entry.parent) {
    out.push({ hash: entry.hashHex, prev: toHex(entry.header.prevHash), height: entry.height });
  }
  return out;
}
