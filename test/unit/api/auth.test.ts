import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../../../src/api/errors.js';
import { authGuard } from '../../../src/api/server.js';
import type { NodeConfig } from '../../../src/node/config.js';
import { tempDir } from '../../support/chain-fixture.js';

const dirs: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of dirs.splice(0)) cleanup();
});

/** A tiny app with one guarded route, driven by inject(): no socket is opened. */
function appFor(host: string) {
  const dir = tempDir();
  dirs.push(dir.cleanup);
  const config = { host, dataDir: dir.path } as NodeConfig;
  const app = Fastify();
  app.setErrorHandler(errorHandler);
  app.post('/mine', { preHandler: authGuard({ config }) }, async () => ({ ok: true }));
  return { app, dir: dir.path };
}

describe('authGuard', () => {
  it('lets everything through when the node listens on loopback', async () => {
    const { app } = appFor('127.0.0.1');
    const r = await app.inject({ method: 'POST', url: '/mine' });
    expect(r.statusCode).toBe(200);
  });

  it('requires the bearer token from <data-dir>/.cookie beyond loopback', async () => {
    const { app, dir } = appFor('0.0.0.0');
    const token = readFileSync(`${dir}/.cookie`, 'utf8');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const none = await app.inject({ method: 'POST', url: '/mine' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ error: 'unauthorized' });
    const wrong = await app.inject({
      method: 'POST',
      url: '/mine',
      headers: { authorization: `Bearer ${'0'.repeat(64)}` },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await app.inject({
      method: 'POST',
      url: '/mine',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(right.statusCode).toBe(200);
  });
});
