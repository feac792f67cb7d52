// The CLI imports a command's code only when that command runs: a wallet command must not load the
// node, its HTTP API, libp2p or LevelDB. Runs the compiled CLI (build first: `npx tsc -p tsconfig.build.json`)
// with test/support/record-loads.mjs, which logs the URL of every module the process loads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = realpathSync(resolve(import.meta.dirname, '../../..'));
const BIN = join(ROOT, 'bin', 'hashline.js');
const RECORDER = join(ROOT, 'test', 'support', 'record-loads.mjs');
const DIST = `${pathToFileURL(join(ROOT, 'dist')).href}/`;

/** The npm package a module URL belongs to ("fastify", "@libp2p/tcp"), if any. */
function packageOf(url: string): string | undefined {
  const at = url.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = url.slice(at + '/node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The top directory under dist/ of one of this project's compiled modules ("node", "cli"), if any. */
function distDirOf(url: string): string | undefined {
  return url.startsWith(DIST) ? url.slice(DIST.length).split('/')[0] : undefined;
}

const isNetworking = (pkg: string): boolean =>
  pkg === 'libp2p' || pkg.startsWith('@libp2p/') || pkg.startsWith('@chainsafe/libp2p-');
const isHttpServer = (pkg: string): boolean => pkg === 'fastify' || pkg.startsWith('@fastify/');

/** The part of dist/api that browsers load too (src/api/client.ts and what it imports). */
const API_CLIENT = /^api\/(client\.js|api-error\.js|definitions\/|schemas\/)/;

/** What a command must not have loaded, as "package:…" and "dist/…" entries. */
function heavyLoads(urls: readonly string[], opts: { leveldb: boolean; nodeDir: boolean }): string[] {
  const found = new Set<string>();
  for (const url of urls) {
    const pkg = packageOf(url);
    if (pkg && (isNetworking(pkg) || isHttpServer(pkg) || (opts.leveldb && pkg === 'classic-level'))) {
      found.add(`package:${pkg}`);
    }
    const dir = distDirOf(url);
    // The API's typed client and its definitions are no server: the wallet calls a node with them.
    const apiServer = dir === 'api' && !API_CLIENT.test(url.slice(DIST.length));
    if (apiServer || dir === 'p2p' || (opts.nodeDir && dir === 'node')) found.add(`dist/${dir}`);
  }
  return [...found].sort();
}

let work: string;
let runs = 0;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'index.js'))) {
    throw new Error('dist/ is missing: run `npx tsc -p tsconfig.build.json` first');
  }
  work = mkdtempSync(join(tmpdir(), 'hashline-lazy-'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs `node --import record-loads.mjs <args>` in a clean environment; returns its output and loads. */
function runRecorded(args: readonly string[]) {
  const log = join(work, `loads-${++runs}.txt`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: work, HASHLINE_LOAD_LOG: log };
  for (const name of ['NODE_OPTIONS', 'HASHLINE_WALLET_DIR', 'HASHLINE_NODE']) delete env[name];
  const result = spawnSync(process.execPath, ['--import', RECORDER, ...args], {
    cwd: work,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, urls };
}

describe('the module recorder', () => {
  it('sees the heavy modules when they are loaded, ES modules and CommonJS alike', () => {
    const nodeModule = pathToFileURL(join(ROOT, 'dist', 'node', 'node.js')).href;
    const run = runRecorded(['--input-type=module', '-e', `await import(${JSON.stringify(nodeModule)});`]);
    expect(run.stderr).toBe('');
    const found = heavyLoads(run.urls, { leveldb: true, nodeDir: true });
    expect(found).toEqual(expect.arrayContaining(['dist/api', 'dist/node', 'dist/p2p']));
    expect(found).toEqual(
      expect.arrayContaining(['package:libp2p', 'package:fastify', 'package:classic-level']),
    );
  });
});

describe('hashline loads a command only when it runs', () => {
  it('wallet list loads the wallet code but not the node, API, libp2p, Fastify or LevelDB', () => {
    const walletDir = join(work, 'wallets');
    const run = runRecorded([BIN, 'wallet', 'list', '--wallet-dir', walletDir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`No wallets in ${walletDir}\n`);
    expect(run.urls.map(distDirOf)).toContain('wallet');
    expect(run.urls).toContain(`${DIST}cli/wallet-actions.js`);
    expect(heavyLoads(run.urls, { leveldb: true, nodeDir: true })).toEqual([]);
  });

  it('wallet list finds the wallets under $HOME/.hashline/wallets by default', () => {
    const run = runRecorded([BIN, 'wallet', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`No wallets in ${join(work, '.hashline', 'wallets')}\n`);
    expect(heavyLoads(run.urls, { leveldb: true, nodeDir: true })).toEqual([]);
  });

  it('chain verify opens LevelDB but loads neither libp2p, Fastify, the API nor the p2p code', () => {
    const dataDir = mkdtempSync(join(work, 'empty-chain-'));
    const run = runRecorded([BIN, 'chain', 'verify', '--data-dir', dataDir]);
    expect(run.stderr).toContain('does not start with a known genesis block');
    expect(run.code).toBe(1);
    expect(run.urls.map(packageOf)).toContain('classic-level');
    expect(heavyLoads(run.urls, { leveldb: false, nodeDir: false })).toEqual([]);
  });

  it('chain import talks to a node over HTTP: it loads neither LevelDB, libp2p, Fastify, the API nor the node', () => {
    // Port 9 (discard) on loopback: nothing answers, so the command stops at its first request.
    const run = runRecorded([
      BIN,
      'chain',
      'import',
      '--node',
      'http://127.0.0.1:9',
      join(work, 'none.hlchain'),
    ]);
    expect(run.stderr).toContain('cannot reach the node at http://127.0.0.1:9');
    expect(run.code).toBe(1);
    expect(run.urls).toContain(`${DIST}cli/chain-import.js`);
    expect(heavyLoads(run.urls, { leveldb: true, nodeDir: true })).toEqual([]);
  });

  it('node --help lists the node options without loading the node', () => {
    const run = runRecorded([BIN, 'node', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: hashline node [options]');
    for (const option of ['--network <name>', '--p2p-port <port>', '--peer <address>', '--no-web']) {
      expect(run.stdout).toContain(option);
    }
    expect(run.urls).not.toContain(`${DIST}cli/node-run.js`);
    expect(heavyLoads(run.urls, { leveldb: true, nodeDir: true })).toEqual([]);
  });

  it('--help still lists every command, and wallet --help every wallet subcommand', () => {
    const top = runRecorded([BIN, '--help']);
    expect(top.code).toBe(0);
    for (const command of ['node [options]', 'chain', 'wallet', 'demo']) {
      expect(top.stdout).toMatch(new RegExp(`^  ${command.replace(/[[\]]/g, '\\$&')} `, 'm'));
    }
    const wallet = runRecorded([BIN, 'wallet', '--help']);
    expect(wallet.code).toBe(0);
    for (const sub of ['create', 'import', 'address', 'balance', 'send', 'history', 'list']) {
      expect(wallet.stdout).toMatch(new RegExp(`^  ${sub}\\b`, 'm'));
    }
  });
});
