export * from './limits.js';
export * from './mempool.js';
export * from './select.js';
