// Relay, decided in one place (as bcoin's Pool does): the node reports what happened (a block became
// our tip, its own transaction was accepted, a reorganisation put transactions back) and this module
// decides how each reaches the peers. What arrives from peers is passed on by the path it came by:
// gossipsub forwards what its validators accept (gossip.ts), the mempool exchange announces what it
// fetched (mempool-exchange.ts).
import { errorText, type NetContext } from './context.js';
import type { RelayEvent } from './types.js';

export interface RelayPaths {
  publishBlock(bytes: Uint8Array): Promise<void>;
  publishTx(bytes: Uint8Array): Promise<void>;
  /** Announces txids over the mempool exchange (for transactions gossipsub's seen cache would drop). */
  announce(txids: readonly string[]): void;
}

export class Relay {
  constructor(
    private readonly ctx: NetContext,
    private readonly paths: RelayPaths,
  ) {}

  /** Follows the node's relay events until the returned function is called. */
  follow(): () => void {
    return this.ctx.chain.onRelay((event) => this.relay(event));
  }

  private relay(event: RelayEvent): void {
    if (!this.ctx.host()) return;
    switch (event.kind) {
      case 'block':
        // A block that came by gossip is already forwarded by gossipsub, which then refuses our
        // publish of the same bytes as a duplicate: harmless, so not worth tracking.
        this.paths.publishBlock(event.bytes).catch((err) => this.quiet(err, 'block', event.hash));
        break;
      case 'tx':
        this.paths.publishTx(event.bytes).catch((err) => this.quiet(err, 'tx', event.txid));
        break;
      case 'restored':
        // gossipsub would drop what it relayed minutes ago: announce them instead.
        this.paths.announce(event.txids);
        break;
    }
  }

  private quiet(err: unknown, kind: string, id: string): void {
    this.ctx.log.debug({ kind, id, err: errorText(err) }, 'publish failed');
  }
}
