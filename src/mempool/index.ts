export * from './mempool.js';
export * from './select.js';
