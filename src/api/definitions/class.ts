// The classroom under /api/v1/class: the teacher's view and controls (`hashline classroom`).
import { ClassControlBody, ClassStateSchema, ClassViewSchema, ErrorSchema } from '../schemas/index.js';
import { endpoint } from './endpoint.js';

export const classroom = {
  getClass: endpoint({
    method: 'GET',
    url: '/api/v1/class',
    access: 'operator',
    summary:
      'The class this node teaches: join link, members, the merged block tree (404 when it teaches none)',
    tags: ['classroom'],
    schemas: { response: { 200: ClassViewSchema, 404: ErrorSchema } },
  }),
  controlClass: endpoint({
    method: 'POST',
    url: '/api/v1/class/control',
    access: 'operator',
    summary: 'Sign and publish the next class state: mining, block interval, groups, split, race, reset',
    tags: ['classroom'],
    schemas: {
      body: ClassControlBody,
      response: { 200: ClassStateSchema, 400: ErrorSchema, 404: ErrorSchema },
    },
  }),
};
