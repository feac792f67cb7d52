// Schemas compiled on first use or in the background answer as Fastify's eager compilers do.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { lazyCompilers } from '../../../src/api/lazy-schemas.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const body = {
  type: 'object',
  properties: { amount: { type: 'integer', minimum: 1 } },
  required: ['amount'],
  additionalProperties: false,
} as const;
const response = { 200: { type: 'object', properties: { amount: { type: 'integer' } } } } as const;

/** The same route on an app with the lazy compilers, or with Fastify's own (eager) ones. */
function app(lazy: ReturnType<typeof lazyCompilers> | undefined): FastifyInstance {
  const a = Fastify({
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    ...(lazy ? { schemaController: { compilersFactory: lazy.compilersFactory } } : {}),
  });
  // The response carries a field the schema leaves out: the serializer drops it.
  a.post('/pay', { schema: { body, response } }, async (req) => ({
    ...(req.body as object),
    secret: 'not serialized',
  }));
  apps.push(a);
  return a;
}

const requests = [{ amount: 5 }, { amount: 0 }, { amount: '5' }, { amount: 5, extra: true }, {}];

describe('lazyCompilers', () => {
  it('validates and serializes as the eager compilers do, compiling nothing until the first request', async () => {
    const lazy = lazyCompilers();
    const lazyApp = app(lazy);
    const eagerApp = app(undefined);
    await Promise.all([lazyApp.ready(), eagerApp.ready()]);
    // The ajv instance, the serializer compiler, and the route's body and 200 schemas.
    expect(lazy.pending()).toBe(4);
    for (const payload of requests) {
      const [a, b] = await Promise.all(
        [lazyApp, eagerApp].map((x) => x.inject({ method: 'POST', url: '/pay', payload })),
      );
      expect({ status: a!.statusCode, body: a!.body }).toEqual({ status: b!.statusCode, body: b!.body });
    }
    expect(lazy.pending()).toBe(0);
  });

  it('compiles what is pending in the background, and reports a schema that does not compile', async () => {
    const lazy = lazyCompilers();
    const a = app(lazy);
    a.get('/broken', { schema: { querystring: { type: 'no-such-type' } } }, async () => ({}));
    await a.ready();
    expect(lazy.pending()).toBeGreaterThan(0);
    const errors: string[] = [];
    const done = new Promise<void>((resolve) => {
      const poll = () => (lazy.pending() === 0 ? resolve() : setImmediate(poll));
      poll();
    });
    lazy.compileInBackground((e) => errors.push(e.message));
    await done;
    // The GET route and the HEAD route Fastify adds for it: one error each.
    expect(errors).toHaveLength(2);
    for (const message of errors) expect(message).toMatch(/type/);
    // The good route still answers.
    const res = await a.inject({ method: 'POST', url: '/pay', payload: { amount: 2 } });
    expect(res.json()).toEqual({ amount: 2 });
  });
});
