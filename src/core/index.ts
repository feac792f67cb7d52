// Public face of the consensus core: pure encoding, hashing and validation, usable in Node and the browser.
export * from './block.js';
export * from './bytes.js';
export * from './difficulty.js';
export * from './errors.js';
export * from './genesis.js';
export * from './hash.js';
export * from './header.js';
export * from './locks.js';
export * from './merkle.js';
export * from './network-id.js';
export * from './params.js';
export * from './policy/index.js';
export * from './pow.js';
export * from './rules.js';
export * from './tx.js';
export * from './validation.js';
export * from './validation-steps.js';
