// Starting worker threads for modules of this package, from either the compiled or the source tree.
//
// In production the code runs from dist/*.js, and a worker module sits next to its caller as .js.
// Under vitest or tsx the code runs from src/*.ts: there is no .js file, and Node cannot run .ts
// by itself, so the worker first registers tsx's loader (tsx is a devDependency).
//
// Usage, from a module next to `my-worker.ts`:
//
//   const worker = createWorker(new URL('./my-worker.js', import.meta.url), { workerData });
//
// Always name the worker by its .js URL (as in an import); the .ts source is found from it.
// The worker module must import '../polyfill.js' (or its relative path) first, as every entry point does.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface WorkerScript {
  /** The file the worker runs. */
  url: URL;
  /** True when it is TypeScript source that needs tsx's loader. */
  typescript: boolean;
}

/** Picks the file to run for a worker module: the .js file if it exists, else its .ts source. */
export function resolveWorkerScript(url: URL): WorkerScript {
  const file = fileURLToPath(url);
  if (file.endsWith('.ts')) return { url, typescript: true };
  if (existsSync(file)) return { url, typescript: false };
  const source = file.replace(/\.(m|c)?js$/, '.$1ts');
  if (source !== file && existsSync(source)) return { url: pathToFileURL(source), typescript: true };
  throw new Error(`worker module not found: ${file}`);
}

let tsxApi: string | undefined;

/** URL of tsx's ESM API, resolved from this package so it works whatever the working directory. */
function tsxApiUrl(): string {
  try {
    tsxApi ??= import.meta.resolve('tsx/esm/api');
  } catch {
    throw new Error(
      'running a TypeScript worker needs the tsx package (a devDependency); use the built dist/ instead',
    );
  }
  return tsxApi;
}

/**
 * Starts a Worker for the module at `url` (see the file comment); `options` are passed to Worker.
 *
 * For TypeScript source, the worker first registers tsx's loader and then imports the module.
 * (`execArgv: ['--import', 'tsx']` is not enough on Node 20: hooks registered that way do not
 * apply to a worker's entry module.)
 */
export function createWorker(url: URL, options: WorkerOptions = {}): Worker {
  const script = resolveWorkerScript(url);
  if (!script.typescript) return new Worker(script.url, options);
  const bootstrap = `import(${JSON.stringify(tsxApiUrl())})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(script.url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
