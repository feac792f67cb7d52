// Builds the proof-of-work addon (native/build/Release/hashline_pow.node) with node-gyp.
//
//   node native/build.mjs           used by `npm install`: a failed build only prints a warning,
//                                   because the miner falls back to its pure-JS kernel.
//   node native/build.mjs --strict  used by `npm run build:native`: a failed build fails the command.
//
// node-gyp downloads Node's headers unless told where they are; when the running Node ships its
// headers next to the binary (<prefix>/include/node), we point node-gyp there so the build works
// offline.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const strict = process.argv.includes('--strict');
const nativeDir = path.dirname(fileURLToPath(import.meta.url));

function findNodeGyp() {
  // npm tells its lifecycle scripts where its bundled node-gyp is.
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) {
    return process.env.npm_config_node_gyp;
  }
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

function localNodeDir() {
  if (process.env.npm_config_nodedir) return null; // node-gyp reads it itself
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function fail(reason) {
  const message = `hashline: native proof-of-work kernel not built (${reason}); mining uses the slower JS kernel.`;
  if (strict) {
    console.error(message);
    process.exit(1);
  }
  console.warn(message);
  process.exit(0);
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) fail('node-gyp not found');

const args = [nodeGyp, 'rebuild'];
const nodeDir = localNodeDir();
if (nodeDir) args.push(`--nodedir=${nodeDir}`);

const result = spawnSync(process.execPath, args, { cwd: nativeDir, stdio: 'inherit' });
if (result.error) fail(result.error.message);
if (result.status !== 0) fail(`node-gyp exited with ${result.status ?? result.signal}`);
console.log('hashline: native proof-of-work kernel built.');
