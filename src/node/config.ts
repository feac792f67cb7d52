// Node configuration with defaults, as the CLI and tests pass it.
import type { ApiLimits } from '../api/limits.js';
import type { NetworkName } from '../core/params.js';
import type { ClassroomConfig } from './classroom.js';

export interface NodeConfig {
  readonly network: NetworkName;
  /** A named network with these rules, its own genesis and peers (--network-id; docs/protocol.md). */
  readonly networkId?: string;
  readonly dataDir: string;
  /** HTTP interface; 127.0.0.1 unless told otherwise. */
  readonly host: string;
  readonly port: number;
  /** libp2p TCP port; 0 picks a free one. */
  readonly p2pPort: number;
  /** libp2p interface; 0.0.0.0 for every interface. */
  readonly p2pHost: string;
  /** Multiaddrs told to peers instead of the listening ones (--announce, for a host behind NAT). */
  readonly announce?: readonly string[];
  /** libp2p WebSockets port on p2pHost, for browser nodes, with the circuit relay service (--ws-port);
   * 0 picks a free one; off when absent. */
  readonly wsPort?: number;
  /** Relay reservations held at once with a WebSockets port (RELAY_LIMITS.maxReservations by default;
   * `hashline classroom` holds one per class member). */
  readonly relayReservations?: number;
  /** libp2p connections at most, inbound and outbound (--max-connections); default 32. */
  readonly maxConnections?: number;
  /** Find peers on the LAN by multicast DNS (--mdns). */
  readonly mdns?: boolean;
  /** Peers the dialer works towards from what discovery finds (--min-peers); 0 dials only --peer. */
  readonly minPeers?: number;
  /** Subnets (CIDR) counted as many hosts, as loopback is: limits, points and bans go by peer id
   * there (--local-subnet). */
  readonly localSubnets?: readonly string[];
  /** Peers to connect to: multiaddrs or http URLs of other nodes. */
  readonly peers: readonly string[];
  readonly mine: boolean;
  readonly threads: number;
  /** Address the coinbase pays to; default the node wallet's. */
  readonly minerAddress?: string;
  readonly logLevel: string;
  /** Pretty logs (for a terminal) or JSON lines. */
  readonly prettyLogs: boolean;
  /** Minimum relay fee rate, base units per byte. */
  readonly minFeeRate: number;
  /** Seconds a misbehaving peer stays banned. */
  readonly banSeconds: number;
  /** Memory for the coins cache, MiB (default: the store's, 32): more keeps more of the UTXO set out of LevelDB. */
  readonly coinsCacheMb?: number;
  /** Serve the web app (when built). */
  readonly web: boolean;
  /** Names besides loopback and the bound address that the Host header may carry (--allow-host). */
  readonly allowHosts?: readonly string[];
  /** Web origins allowed to call operator routes cross-origin, with the token (--cors-origin). */
  readonly corsOrigins?: readonly string[];
  /** HTTP limits other than the defaults (HASHLINE_HTTP_LIMITS; see docs/api.md, "Security"). */
  readonly httpLimits?: Partial<ApiLimits>;
  /** Operator routes need the token whatever the bind address (--require-token), e.g. behind a proxy. */
  readonly requireToken?: boolean;
  /** Proxies (addresses or CIDRs) whose X-Forwarded-For names the client (--trust-proxy). */
  readonly trustProxy?: readonly string[];
  /** Mine one block every this many seconds (--mine-interval); off when absent. */
  readonly mineInterval?: number;
  /** Random payments per minute between the node's own wallets (--activity); off when absent. */
  readonly activity?: number;
  /** The operator token instead of a fresh random one (`hashline classroom` keeps it across resets). */
  readonly apiToken?: string;
  /** A member of a class (src/classroom): obeys the states the teacher's key signs and reports on
   * itself; with the teacher's private key, the teacher's node (--class-key, --name). */
  readonly classroom?: ClassroomConfig;
}

export function defaultP2pPort(httpPort: number): number {
  return httpPort === 0 ? 0 : httpPort + 10_000 <= 65_535 ? httpPort + 10_000 : 0;
}
