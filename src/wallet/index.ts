// Public face of the wallet, for the CLI, the node and the web app. Everything here runs in the browser;
// wallet files on disk are Node-only and live in './store.js' (import it directly).
export * from '../crypto/hd.js';
export * from '../crypto/keystore.js';
export * from '../crypto/mnemonic.js';
export * from './amount.js';
export * from './build-tx.js';
export * from './client.js';
export * from './coin-select.js';
export * from './errors.js';
export * from './keys.js';
export * from './policy-info.js';
export * from './policy-wallet.js';
export * from './psbt.js';
export * from './psbt-fund.js';
export * from './qr.js';
export * from './scan.js';
export * from './send.js';
