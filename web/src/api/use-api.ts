// Loads a GET endpoint into {data, error, loading}; refetches when `path` or `version` changes and keeps
// the previous data on screen while it does, so live updates do not flash a loading state.
import { useEffect, useState } from 'react';
import { api } from './client.js';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

export function useApi<T>(path: string | null, version = 0): Loaded<T> {
  const [state, setState] = useState<{
    path: string | null;
    data: T | null;
    error: unknown;
    loading: boolean;
  }>({ path: null, data: null, error: null, loading: path !== null });
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version and tick are refetch triggers.
  useEffect(() => {
    if (path === null) {
      setState({ path, data: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    // A new path clears the old data (another block); a refetch of the same path keeps it.
    setState((s) =>
      s.path === path ? { ...s, loading: true } : { path, data: null, error: null, loading: true },
    );
    api.get<T>(path, controller.signal).then(
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
