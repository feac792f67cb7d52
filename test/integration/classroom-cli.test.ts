// `hashline classroom` as a process: it prints a join link naming its network, the teacher's key and its
// WebSockets peer; GET /api/v1/class with the printed token shows the teacher in the class; a reset
// brings the node back on the new network id, with the same peer id and the same token.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClassroomProcess, joinQuery, startClassroom } from '../support/classroom-process.js';
import { freePort, runCli, waitFor } from '../support/node-process.js';

let teacher: ClassroomProcess;

const get = async (path: string, token: string) => {
  const res = await fetch(`${teacher.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
};

describe('hashline classroom', () => {
  beforeAll(async () => {
    teacher = await startClassroom(['--name', 'Ms Lee', '--interval', '15']);
  }, 120_000);

  afterAll(async () => {
    await teacher?.stop();
  });

  it('prints a join link with the network, the teacher key and its WebSockets peer', () => {
    const [link] = teacher.joinLinks();
    expect(link).toBeDefined();
    const q = joinQuery(link!);
    expect(q.get('net')).toMatch(/^class-[0-9a-f]{8}$/);
    expect(q.get('key')).toMatch(/^[0-9a-f]{64}$/);
    expect(q.get('peer')).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\/\w+$/);
    expect(teacher.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers GET /api/v1/class with the teacher in the roster and the asked interval', async () => {
    const q = joinQuery(teacher.joinLinks()[0]!);
    const view = await waitFor(async () => {
      const r = await get('/api/v1/class', teacher.token);
      return r.status === 200 && r.body.members.length > 0 ? r.body : undefined;
    }, 'the teacher in the roster');
    expect(view.networkId).toBe(q.get('net'));
    expect(view.teacherKey).toBe(q.get('key'));
    expect(view.joinUrl).toBe(teacher.joinLinks()[0]!.href);
    expect(view.state.intervalSeconds).toBe(15);
    expect(view.members.find((m: { kind: string }) => m.kind === 'teacher')).toMatchObject({
      name: 'Ms Lee',
      kind: 'teacher',
      agrees: true,
    });
  });

  it('moves to a new network on a reset, with the same peer id and token', async () => {
    const before = joinQuery(teacher.joinLinks()[0]!);
    const res = await fetch(`${teacher.url}/api/v1/class/control`, {
      method: 'POST',
      headers: { authorization: `Bearer ${teacher.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reset: 'class-0badc0de' }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).resetTo).toBe('class-0badc0de');
    const status = await waitFor(
      async () => {
        const r = await fetch(`${teacher.url}/api/v1/status`).catch(() => undefined);
        const s = r?.ok ? await r.json() : undefined;
        return s?.networkId === 'class-0badc0de' ? s : undefined;
      },
      'the node back on class-0badc0de',
      { timeoutMs: 60_000 },
    );
    expect(status.height).toBe(0);
    const after = joinQuery(teacher.joinLinks().at(-1)!);
    expect(after.get('net')).toBe('class-0badc0de');
    expect(after.get('key')).toBe(before.get('key'));
    expect(after.get('peer')).toBe(before.get('peer'));
    const view = await get('/api/v1/class', teacher.token);
    expect(view.status).toBe(200);
    expect(view.body.networkId).toBe('class-0badc0de');
  }, 120_000);
});

describe('hashline classroom on a taken port', () => {
  it('refuses to start, naming the option that chooses another port', async () => {
    const server = createServer();
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    const dir = mkdtempSync(join(tmpdir(), 'hashline-classroom-taken-'));
    try {
      const r = await runCli([
        'classroom',
        '--data-dir',
        dir,
        '--host',
        '127.0.0.1',
        '--port',
        String(await freePort()),
        '--p2p-port',
        String(port),
        '--ws-port',
        String(await freePort()),
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`port ${port} is already in use`);
      expect(r.stderr).toContain('--p2p-port');
    } finally {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
