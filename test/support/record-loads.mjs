// Preload with `node --import ./test/support/record-loads.mjs …` and HASHLINE_LOAD_LOG=<file>:
// appends the URL of every module the process loads to that file, one a line.
// ES modules are seen by a resolve hook (it runs in the loader thread, so it writes synchronously
// before the module is evaluated); CommonJS modules loaded by require() bypass that hook on Node 20,
// so the require cache is added when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

let logFile;

export function initialize(data) {
  logFile = data.logFile;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(logFile, `${result.url}\n`);
  return result;
}

if (isMainThread) {
  const file = process.env.HASHLINE_LOAD_LOG;
  if (!file) throw new Error('record-loads.mjs needs HASHLINE_LOAD_LOG=<file>');
  register(import.meta.url, { data: { logFile: file } });
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    const urls = Object.keys(cache).map((path) => pathToFileURL(path).href);
    if (urls.length > 0) appendFileSync(file, `${urls.join('\n')}\n`);
  });
}
