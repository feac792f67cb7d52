#!/usr/bin/env node
// Runs the compiled CLI (npm run build creates dist/).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('hashline is not built yet: run `npm run build` (or `npm start`) first.');
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
