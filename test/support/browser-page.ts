// A test or bench page for Chromium: an entry module bundled with Vite's JS API into a temporary
// directory (workers included), served by a small static server on 127.0.0.1 (a secure context, as
// WebCrypto needs).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build, type Plugin } from 'vite';

/** The web app's build aliases node:events to the events package (web/vite.config.ts); so do these pages. */
function browserEvents(): Plugin {
  return {
    name: 'hashline-browser-events',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === 'node:events' ? this.resolve('events', importer, { skipSelf: true }) : null;
    },
  };
}

export interface BundledPage {
  /** The directory holding index.html and its assets. */
  readonly dir: string;
  cleanup(): Promise<void>;
}

/** Bundles `entry` (a module path) into a page whose index.html runs it. */
export async function bundlePage(entry: string): Promise<BundledPage> {
  const work = await mkdtemp(join(tmpdir(), 'hashline-page-'));
  const src = join(work, 'src');
  const out = join(work, 'out');
  const cleanup = () => rm(work, { recursive: true, force: true });
  try {
    await mkdir(src);
    await writeFile(join(src, 'main.ts'), `import ${JSON.stringify(resolve(entry))};\n`);
    await writeFile(
      join(src, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><title>hashline page</title>' +
        '<link rel="icon" href="data:,"></head>' +
        '<body><script type="module" src="./main.ts"></script></body></html>\n',
    );
    await build({
      configFile: false,
      root: src,
      base: './',
      logLevel: 'warn',
      plugins: [browserEvents()],
      define: { 'process.env.HASHLINE_NO_NATIVE': '"1"' },
      worker: { format: 'es' },
      build: { outDir: out, emptyOutDir: true, minify: false, target: 'es2022', reportCompressedSize: false },
    });
  } catch (e) {
    await cleanup();
    throw e;
  }
  return { dir: out, cleanup };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the files of `dir` on 127.0.0.1 (any free port); GET only, nothing outside `dir`. */
export async function serveStatic(dir: string): Promise<StaticServer> {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (req.method !== 'GET' || !file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
