// Fastify's own schema compilers (ajv for requests, fast-json-stringify for responses), each route's
// schemas compiled when the route first serves a request instead of before the server listens: compiling
// every route's schemas at start was a fifth of a node's time to its first answer. What each compiled
// function does is unchanged. Once the server listens, compileInBackground() compiles what is still
// pending, one schema per turn of the event loop (requests go between), so that a schema that cannot
// compile still shows at start.
import ajvCompiler from '@fastify/ajv-compiler';
import serializerCompiler from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/** Fastify's option: its types name ajv's function types, which these wrappers stand in for. */
type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

type Compile<Def, Fn> = (def: Def) => Fn;
type Factory<Def, Fn> = (external: unknown, options: unknown) => Compile<Def, Fn>;

interface Validator {
  (data: unknown): unknown;
  errors?: unknown;
}
type Serializer = (data: unknown) => string;

/** Compilers that defer each route's compilation until its first use or compileInBackground(). */
export interface LazyCompilers {
  readonly compilersFactory: CompilersFactory;
  /** Schemas not compiled yet. */
  pending(): number;
  /** Compiles the pending schemas one per turn of the event loop; returns a function that stops it. */
  compileInBackground(onError: (error: Error) => void): () => void;
}

export function lazyCompilers(): LazyCompilers {
  const waiting = new Set<() => unknown>();
  const defer = <Fn>(compile: () => Fn): (() => Fn) => {
    let fn: Fn | undefined;
    const get = () => {
      if (fn === undefined) {
        waiting.delete(get);
        fn = compile();
      }
      return fn;
    };
    waiting.add(get);
    return get;
  };
  const defaultValidator = ajvCompiler() as unknown as Factory<unknown, Validator>;
  const defaultSerializer = serializerCompiler() as unknown as Factory<unknown, Serializer>;
  return {
    compilersFactory: {
      buildValidator: (external: unknown, options: unknown) => {
        // The ajv instance itself is built on first use too (its meta-schema compiles).
        const compiler = defer(() => defaultValidator(external, options));
        return (def: unknown) => {
          const get = defer(() => compiler()(def));
          // Fastify reads `errors` from the function it called after a failed validation.
          const validate: Validator = (data) => {
            const fn = get();
            const result = fn(data);
            validate.errors = fn.errors;
            return result;
          };
          return validate;
        };
      },
      buildSerializer: (external: unknown, options: unknown) => {
        const compiler = defer(() => defaultSerializer(external, options));
        return (def: unknown) => {
          const get = defer(() => compiler()(def));
          return (data: unknown) => get()(data);
        };
      },
    } as CompilersFactory,
    pending: () => waiting.size,
    compileInBackground(onError) {
      let stopped = false;
      const step = () => {
        const next = waiting.values().next();
        if (stopped || next.done) return;
        try {
          next.value(); // leaves `waiting` before compiling: a schema that throws is not tried again here
        } catch (e) {
          onError(e as Error);
        }
        setImmediate(step);
      };
      setImmediate(step);
      return () => {
        stopped = true;
      };
    },
  };
}
