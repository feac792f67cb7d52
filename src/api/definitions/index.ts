// Every endpoint group. The server serves them (src/api/impl) and the typed client calls them.

export { chainExport } from './chain-export.js';
export * from './endpoint.js';
export { fees } from './fees.js';
export { network } from './network.js';
export { raw } from './raw.js';
