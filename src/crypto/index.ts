export * from './address.js';
export * from './ed25519.js';
