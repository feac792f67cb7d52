// The package as a user gets it: `npm pack`, the tarball installed in a scratch project, the examples
// run there against it, and TypeScript resolving the declarations of 'hashline' and 'hashline/node'.
//
// The tarball is unpacked into <project>/node_modules/hashline by hand instead of `npm install`: this
// machine may be offline, so the package's dependencies are symlinked one by one from this repository's
// node_modules (only those package.json declares, so an undeclared import fails here as it would for a
// user). Unpacking by hand also skips the install script, so the native mining addon is not built and
// the package must run on its JS fallback.
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/node-process.js';

const run = promisify(execFile);
const EXAMPLES = ['payment.mjs', 'tamper.mjs', 'two-nodes.mjs'];

let scratch: string;
let project: string;
let packedFiles: string[];

/** Runs `node <file>` in the scratch project, bounded in time; returns its stdout. */
async function runNode(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run(process.execPath, args, {
    cwd: project,
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return stdout;
}

function link(name: string): void {
  const target = join(ROOT, 'node_modules', name);
  if (!existsSync(target)) throw new Error(`${name} is not installed in this repository's node_modules`);
  const path = join(project, 'node_modules', name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'dir');
}

beforeAll(async () => {
  for (const built of ['dist/index.js', 'dist/index.d.ts', 'dist/node/index.d.ts', 'dist/cli/index.js']) {
    if (!existsSync(join(ROOT, built))) {
      throw new Error(`${built} is missing: build first (npx tsc -p tsconfig.build.json)`);
    }
  }
  scratch = mkdtempSync(join(tmpdir(), 'hashline-package-'));
  project = join(scratch, 'project');
  mkdirSync(join(project, 'node_modules'), { recursive: true });

  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], {
    cwd: ROOT,
    timeout: 60_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  const [pack] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  packedFiles = pack.files.map((f) => f.path);

  await run('tar', ['-xzf', join(scratch, pack.filename), '-C', scratch], { timeout: 30_000 });
  cpSync(join(scratch, 'package'), join(project, 'node_modules', 'hashline'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/hashline/package.json'), 'utf8'));
  for (const dep of Object.keys(manifest.dependencies as Record<string, string>)) link(dep);
  // What the user's own project would install to type-check against the package.
  link('typescript');
  link('@types/node');

  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module' }));
  cpSync(join(ROOT, 'examples'), join(project, 'examples'), { recursive: true });
}, 90_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the compiled code, its declarations, the CLI and the addon sources, not src/ or tests', () => {
    for (const file of [
      'package.json',
      'README.md',
      'bin/hashline.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/node/index.js',
      'dist/node/index.d.ts',
      'dist/miner/nonce-worker.js',
      'native/binding.gyp',
      'native/build.mjs',
    ]) {
      expect(packedFiles, file).toContain(file);
    }
    expect(packedFiles.some((f) => f.startsWith('native/src/'))).toBe(true);
    for (const prefix of ['src/', 'test/', 'bench/', 'native/build/', 'examples/', 'node_modules/']) {
      expect(
        packedFiles.filter((f) => f.startsWith(prefix)),
        prefix,
      ).toEqual([]);
    }
  });

  it('runs its CLI from the installed package', async () => {
    const help = await runNode(['node_modules/hashline/bin/hashline.js', '--help']);
    expect(help).toMatch(/demo/);
  });
});

// The runtime API, name by name: a new export is a deliberate change to this list.
const API = {
  hashline: [
    ['encoding', 'decodeBlock encodeBlock decodeHeader encodeHeader decodeTx encodeTx fromHex toHex'],
    ['hashing', 'sha256 sha256d blockHash blockHashHex headerHash headerHashHex txid txidHex'],
    ['merkle', 'computeMerkleRoot merkleRoot merkleProof verifyMerkleProof'],
    ['pow', 'bitsToTarget targetToBits hashMeetsTarget workForBits workForTarget'],
    ['params', 'NETWORKS getNetwork COIN MAX_DATA_SIZE blockSubsidy genesisBlock'],
    ['validation', 'RuleError RULE_CODES checkBlockSanity checkBlockContext checkTxSanity'],
    ['chain', 'Chain openChain verifyStoredChain assembleBlock solveBlock'],
    ['keys', 'generateKeyPair keyPairFromPrivate generateMnemonic HdWallet publicKeyHash'],
    ['addresses', 'addressFromPublicKey encodeAddress decodeAddress isAddress'],
    ['transactions', 'buildTransaction signTx formatCoins parseCoins'],
    ['node client', 'NodeClient WalletError InsufficientFundsError NodeApiError createApiClient ApiError'],
  ],
  'hashline/node': [['node', 'HashlineNode nodeConfig']],
};

describe('the installed package', () => {
  for (const [entry, groups] of Object.entries(API)) {
    it(`'${entry}' exports exactly its documented API`, async () => {
      const names = await runNode([
        '--input-type=module',
        '-e',
        `console.log(JSON.stringify(Object.keys(await import('${entry}'))))`,
      ]);
      const expected = groups.flatMap(([, list]) => list!.split(' '));
      expect((JSON.parse(names) as string[]).sort()).toEqual(expected.sort());
    });
  }
});

describe('examples, against the installed package', () => {
  it('are all run below', () => {
    expect(
      readdirSync(join(ROOT, 'examples'))
        .filter((f) => f.endsWith('.mjs'))
        .sort(),
    ).toEqual(EXAMPLES);
  });

  it('tamper.mjs: verification catches one changed byte and names the rule', async () => {
    const out = await runNode(['examples/tamper.mjs']);
    expect(out).toMatch(/Verify: OK, 6 valid blocks/);
    expect(out).toMatch(/record now reads .*Bob repaid 9 coffees/);
    expect(out).toMatch(/Verify: INVALID at block 3: rule bad-merkle-root/);
  });

  it('payment.mjs: the payment confirms and the balances add up to the one block reward', async () => {
    const out = await runNode(['examples/payment.mjs']);
    // The package is unpacked without its install script: no addon, so the JS kernel mines.
    expect(out).toMatch(/mining with the js kernel/);
    expect(out).toMatch(/payment confirmed true/);
    const coins = (label: string) => {
      const m = out.match(new RegExp(`^${label}: ([0-9.]+)$`, 'm'));
      expect(m, `${label} line in:\n${out}`).not.toBeNull();
      return Math.round(Number(m![1]) * 1e8);
    };
    expect(coins('balance bob')).toBe(12.5e8);
    expect(coins('fee')).toBeGreaterThan(0);
    expect(coins('balance alice') + coins('balance bob') + coins('fee')).toBe(50e8);
  });

  it('two-nodes.mjs: the second node follows the first, then the first follows the second', async () => {
    const out = await runNode(['examples/two-nodes.mjs']);
    const tips = [...out.matchAll(/tip ([AB]): height (\d+) ([0-9a-f]{64})/g)].map((m) => ({
      node: m[1],
      height: Number(m[2]),
      hash: m[3],
    }));
    expect(tips.map((t) => t.node)).toEqual(['A', 'B', 'A', 'B']);
    expect(tips[0]!.height).toBe(3);
    expect(tips[1]).toEqual({ ...tips[0], node: 'B' });
    expect(tips[2]!.height).toBe(5);
    expect(tips[3]).toEqual({ ...tips[2], node: 'B' });
  });
});

describe('types', () => {
  it("resolve for 'hashline' and 'hashline/node' under NodeNext", async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
        },
        files: ['check.ts'],
      }),
    );
    writeFileSync(
      join(project, 'check.ts'),
      [
        "import { type Chain, NETWORKS, openChain, type RuleCode, verifyStoredChain } from 'hashline';",
        "import { HashlineNode, type NodeConfig, nodeConfig } from 'hashline/node';",
        '',
        "const chain: Chain = await openChain('data', NETWORKS.regtest);",
        'const height: number = chain.height;',
        'const outcome = await verifyStoredChain(chain.store, chain.params);',
        "const code: string = outcome.ok ? 'ok' : outcome.code;",
        "const rule: RuleCode = 'bad-merkle-root';",
        "const config: NodeConfig = nodeConfig({ dataDir: 'node' });",
        'const node: HashlineNode = await HashlineNode.start(config);',
        'const url: string = node.url();',
        'await node.stop();',
        '// @ts-expect-error a node needs a data directory',
        'nodeConfig({});',
        '// @ts-expect-error heights are numbers',
        'const wrong: string = chain.height;',
        'console.log(height, code, rule, url, wrong);',
        '',
      ].join('\n'),
    );
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: project,
      timeout: 60_000,
    })
      .then(() => ({ ok: true, output: '' }))
      .catch((e: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${e.stdout}${e.stderr}` }));
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });
});
