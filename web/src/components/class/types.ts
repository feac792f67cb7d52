// The teacher's view as GET /api/v1/class answers it (types only: no schema code in the bundle).
import type { classroom } from '../../../../src/api/definitions/class.js';
import type { ResponseOf } from '../../../../src/api/definitions/endpoint.js';

export type ClassView = ResponseOf<typeof classroom.getClass>;
export type ClassMember = ClassView['members'][number];
export type ClassTreeBlock = ClassView['tree'][number];
export type ClassStateJson = ClassView['state'];
