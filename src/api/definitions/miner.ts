// The local miner under /api/v1: mine one block, read its state, start and stop continuous mining.
import { MAX_MINE_COUNT, MineBody, MinedBlockSchema, MinerSchema, MinerStartBody } from '../schemas/index.js';
import { endpoint } from './endpoint.js';

export const miner = {
  mine: endpoint({
    method: 'POST',
    url: '/api/v1/mine',
    access: 'operator',
    summary: `Mine blocks now (count 1..${MAX_MINE_COUNT}, default 1), optionally paying another address`,
    tags: ['miner'],
    schemas: { body: MineBody, response: { 201: MinedBlockSchema } },
  }),
  getMiner: endpoint({
    method: 'GET',
    url: '/api/v1/miner',
    access: 'operator',
    summary: 'Miner state',
    tags: ['miner'],
    schemas: { response: { 200: MinerSchema } },
  }),
  startMiner: endpoint({
    method: 'POST',
    url: '/api/v1/miner/start',
    access: 'operator',
    summary: 'Start continuous mining, optionally with another address or thread count',
    tags: ['miner'],
    schemas: { body: MinerStartBody, response: { 200: MinerSchema } },
  }),
  stopMiner: endpoint({
    method: 'POST',
    url: '/api/v1/miner/stop',
    access: 'operator',
    summary: 'Stop continuous mining',
    tags: ['miner'],
    schemas: { response: { 200: MinerSchema } },
  }),
};
