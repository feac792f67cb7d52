// The network endpoints (definitions/network.ts) over NetworkControl.

import type { BanInfo } from '../../p2p/types.js';
import type { NetworkControl } from '../context.js';
import { network as defs } from '../definitions/network.js';
import { badRequest, notFound } from '../errors.js';
import { parseHttpUrl } from '../parse.js';
import type { RouteDef } from '../route-table.js';
import { bind } from './bind.js';

const banView = (b: BanInfo) => ({ ...b, ...(b.kind === 'ip' ? { ip: b.id } : {}) });

export function networkRoutes(network: NetworkControl): RouteDef[] {
  return [
    bind(defs.getPeers, async () => ({
      peers: network.peers(),
      known: await network.knownPeers(),
      http: [...network.httpPeers()],
      httpPeers: network.httpPeerStates(),
      bans: network.bans().map(banView),
    })),
    bind(defs.addPeer, async (req, reply) => {
      const address = req.body.address.trim();
      if (address.startsWith('/')) {
        try {
          await network.dial(address);
        } catch (e) {
          throw badRequest(`cannot connect to ${address}: ${(e as Error).message}`, 'peer-unreachable');
        }
      } else {
        const [registered] = await network.registerHttpPeers([parseHttpUrl(address)]);
        return reply.status(201).send({ peers: network.peers(), ...(registered ? { registered } : {}) });
      }
      return reply.status(201).send({ peers: network.peers() });
    }),
    bind(defs.removePeer, async (req) => {
      if (!(await network.removePeer(req.params.id))) throw notFound(`no peer ${req.params.id}`);
      return { removed: req.params.id };
    }),
    bind(defs.removeHttpPeer, async (req) => {
      const url = parseHttpUrl(req.query.url);
      if (!(await network.removeHttpPeer(url))) throw notFound(`${url} is not a registered http peer`);
      return { removed: url };
    }),
    bind(defs.unban, async (req) => {
      if (!network.unban(req.params.target)) throw notFound(`${req.params.target} is not banned`);
      return { removed: req.params.target };
    }),
  ];
}
