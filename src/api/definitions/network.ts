// The network endpoints under /api/v1: peers (connected, known, http URLs, bans), adding and removing them.
import { Type } from '@sinclair/typebox';
import { PeerAddedSchema, PeerBody, PeersSchema, RemovedSchema } from '../schemas/index.js';
import { endpoint } from './endpoint.js';

export const network = {
  getPeers: endpoint({
    method: 'GET',
    url: '/api/v1/peers',
    access: 'operator',
    summary: 'Connected and known peers, registered http URLs with their state, and bans',
    tags: ['network'],
    schemas: { response: { 200: PeersSchema } },
  }),
  addPeer: endpoint({
    method: 'POST',
    url: '/api/v1/peers',
    access: 'operator',
    summary: 'Connect to a peer by http URL or multiaddr',
    tags: ['network'],
    schemas: { body: PeerBody, response: { 201: PeerAddedSchema } },
  }),
  removePeer: endpoint({
    method: 'DELETE',
    url: '/api/v1/peers/:id',
    access: 'operator',
    summary:
      'Hang up on a peer and forget its addresses (discovery may find it again: ban it to keep it out)',
    tags: ['network'],
    schemas: {
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: RemovedSchema },
    },
  }),
  removeHttpPeer: endpoint({
    method: 'DELETE',
    url: '/api/v1/http-peers',
    access: 'operator',
    summary: 'Forget a registered http URL (?url=http://host:port)',
    tags: ['network'],
    schemas: {
      query: Type.Object({ url: Type.String({ minLength: 1, maxLength: 500 }) }),
      response: { 200: RemovedSchema },
    },
  }),
  unban: endpoint({
    method: 'DELETE',
    url: '/api/v1/bans/:target',
    access: 'operator',
    summary: 'Lift the ban of a peer id or an IP address',
    tags: ['network'],
    schemas: {
      params: Type.Object({ target: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: RemovedSchema },
    },
  }),
};
