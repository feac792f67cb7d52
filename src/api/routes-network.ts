// The network routes under /api/v1: peers (connected, known, http URLs, bans), adding and removing them.
import { Type } from '@sinclair/typebox';
import type { BanInfo } from '../p2p/types.js';
import type { ApiContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import { parseHttpUrl } from './parse.js';
import { type RouteDef, route } from './route-table.js';
import { PeerAddedSchema, PeerBody, PeersSchema, RemovedSchema } from './schemas/index.js';

const banView = (b: BanInfo) => ({ ...b, ...(b.kind === 'ip' ? { ip: b.id } : {}) });

export function networkRoutes(ctx: ApiContext): RouteDef[] {
  const { network } = ctx;
  return [
    route({
      method: 'GET',
      url: '/api/v1/peers',
      access: 'public',
      schema: {
        tags: ['network'],
        summary: 'Connected and known peers, registered http URLs with their state, and bans',
        response: { 200: PeersSchema },
      },
      handler: async () => ({
        peers: network.peers(),
        known: await network.knownPeers(),
        http: [...network.httpPeers()],
        httpPeers: network.httpPeerStates(),
        bans: network.bans().map(banView),
      }),
    }),
    route<{ Body: { address: string } }>({
      method: 'POST',
      url: '/api/v1/peers',
      access: 'operator',
      schema: {
        tags: ['network'],
        summary: 'Connect to a peer by http URL or multiaddr',
        body: PeerBody,
        response: { 201: PeerAddedSchema },
      },
      handler: async (req, reply) => {
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
      },
    }),
    route<{ Params: { id: string } }>({
      method: 'DELETE',
      url: '/api/v1/peers/:id',
      access: 'operator',
      schema: {
        tags: ['network'],
        summary:
          'Hang up on a peer and forget its addresses (discovery may find it again: ban it to keep it out)',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: RemovedSchema },
      },
      handler: async (req) => {
        if (!(await network.removePeer(req.params.id))) throw notFound(`no peer ${req.params.id}`);
        return { removed: req.params.id };
      },
    }),
    route<{ Querystring: { url: string } }>({
      method: 'DELETE',
      url: '/api/v1/http-peers',
      access: 'operator',
      schema: {
        tags: ['network'],
        summary: 'Forget a registered http URL (?url=http://host:port)',
        querystring: Type.Object({ url: Type.String({ minLength: 1, maxLength: 500 }) }),
        response: { 200: RemovedSchema },
      },
      handler: async (req) => {
        const url = parseHttpUrl(req.query.url);
        if (!(await network.removeHttpPeer(url))) throw notFound(`${url} is not a registered http peer`);
        return { removed: url };
      },
    }),
    route<{ Params: { target: string } }>({
      method: 'DELETE',
      url: '/api/v1/bans/:target',
      access: 'operator',
      schema: {
        tags: ['network'],
        summary: 'Lift the ban of a peer id or an IP address',
        params: Type.Object({ target: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 200: RemovedSchema },
      },
      handler: async (req) => {
        if (!network.unban(req.params.target)) throw notFound(`${req.params.target} is not banned`);
        return { removed: req.params.target };
      },
    }),
  ];
}
