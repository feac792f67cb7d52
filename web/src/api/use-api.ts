// Loads a GET endpoint into {data, error, loading}; refetches when the call (endpoint and arguments) or
// `version` changes and keeps the previous data on screen while it does, so live updates do not flash a
// loading state.
import { useEffect, useState } from 'react';
import { type AnswerOf, type ArgsOf, type CallOptions, endpointPath } from '../../../src/api/client.js';
import { type EndpointName, type Endpoints, endpoints } from '../../../src/api/definitions/index.js';
import { api } from './client.js';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** `name` null: nothing to load (yet). */
export function useApi<K extends EndpointName>(
  name: K | null,
  args: ArgsOf<Endpoints[K]>,
  version = 0,
): Loaded<AnswerOf<Endpoints[K]>> {
  type T = AnswerOf<Endpoints[K]>;
  // The call's path and query say what is loaded: equal paths are the same data.
  const path = name === null ? null : endpointPath(endpoints[name], args);
  const [state, setState] = useState<{
    path: string | null;
    data: T | null;
    error: unknown;
    loading: boolean;
  }>({ path: null, data: null, error: null, loading: path !== null });
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the path stands for name and args; version and tick are refetch triggers.
  useEffect(() => {
    if (name === null || path === null) {
      setState({ path, data: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    // A new path clears the old data (another block); a refetch of the same path keeps it.
    setState((s) =>
      s.path === path ? { ...s, loading: true } : { path, data: null, error: null, loading: true },
    );
    // The client's function for this name, with its own argument and answer types (K is one name).
    const call = api[name] as (args: ArgsOf<Endpoints[K]>, opts: CallOptions) => Promise<T>;
    call(args, { signal: controller.signal }).then(
      (data) => setState({ path, data, error: null, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ path, data: s.path === path ? s.data : null, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [path, version, tick]);

  return {
    data: state.path === path ? state.data : null,
    error: state.path === path ? state.error : null,
    loading: state.path !== path || state.loading,
    reload: () => setTick((t) => t + 1),
  };
}
