import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorker, resolveWorkerScript } from '../../../src/util/worker.js';

describe('createWorker', () => {
  let dir: string;
  const url = (name: string) => pathToFileURL(path.join(dir, name));

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hashline-worker-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
    // TypeScript source only: runs through tsx.
    writeFileSync(
      path.join(dir, 'echo.ts'),
      `import { parentPort, workerData } from 'node:worker_threads';
const reply: { got: number; from: string } = { got: (workerData as { n: number }).n * 2, from: import.meta.url };
parentPort!.postMessage(reply);
`,
    );
    // Compiled output present: runs as is.
    writeFileSync(
      path.join(dir, 'plain.js'),
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage('plain');
`,
    );
    writeFileSync(path.join(dir, 'plain.ts'), 'throw new Error("the .js file should have been used");\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('picks the .js file when it exists, else the .ts source', () => {
    expect(resolveWorkerScript(url('plain.js'))).toEqual({ url: url('plain.js'), typescript: false });
    expect(resolveWorkerScript(url('echo.js'))).toEqual({ url: url('echo.ts'), typescript: true });
    expect(() => resolveWorkerScript(url('missing.js'))).toThrow(/not found/);
  });

  it('runs a TypeScript worker with workerData', async () => {
    const worker = createWorker(url('echo.js'), { workerData: { n: 21 } });
    try {
      const [reply] = await once(worker, 'message');
      expect(reply).toEqual({ got: 42, from: url('echo.ts').href });
    } finally {
      await worker.terminate();
    }
  });

  it('runs a compiled .js worker directly', async () => {
    const worker = createWorker(url('plain.js'));
    try {
      const [reply] = await once(worker, 'message');
      expect(reply).toBe('plain');
    } finally {
      await worker.terminate();
    }
  });
});
