export * from './codec.js';
export * from './layout.js';
export * from './store.js';
