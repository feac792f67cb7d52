// One source for the API's JSON: Fastify validates requests and serialises answers with these schemas,
// /docs shows them, and the web app and the wallet client use their static types.
export * from './chain.js';
export * from './class.js';
export * from './classic.js';
export * from './common.js';
export * from './fees.js';
export * from './node.js';
export * from './policy.js';
export * from './raw.js';
export * from './requests.js';
export * from './tree.js';
