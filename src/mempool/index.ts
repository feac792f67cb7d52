export * from './mempool.js';
export * from './select.js';
export * from './limits.js';
