// Builds the web app the node serves at `/`. The app imports the node's own consensus and wallet code
// from ../src, so the browser hashes, derives addresses and signs with exactly the same code.

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
// The dev server forwards API calls to a running node; HASHLINE_NODE_URL picks another one.
const node = process.env.HASHLINE_NODE_URL ?? 'http://127.0.0.1:5000';
const proxied = ['/api', '/mine', '/chain', '/transactions', '/nodes', '/metrics'];

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  // The node's code imports EventEmitter from node:events (typed by @types/node); in the page it is the
  // events package, the same API.
  resolve: { alias: { 'node:events': 'events' } },
  // The nonce workers are ES modules (they import the PoW kernel); the default iife format cannot split.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: node, changeOrigin: false }])),
  },
  preview: { host: '127.0.0.1' },
});
