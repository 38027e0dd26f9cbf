import { DependencyList, useCallback, useEffect, useState } from 'react';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * Loads something when the page (or one of `deps`) changes, and again on reload(); an answer to an
 * earlier request never overwrites a newer one, and the last data stays on screen while the next
 * loads. `load` returning undefined means "nothing to load yet".
 */
export function useResource<T>(load: () => Promise<T> | undefined, deps: DependencyList): Resource<T> {
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const key = [...deps, version];
  const [state, setState] = useState<{ key: readonly unknown[] | null; data: T | undefined; error: unknown }>({ key: null, data: undefined, error: undefined });
  useEffect(() => {
    let live = true;
    const loadedFor = [...deps, version];
    Promise.resolve()
      .then(load)
      .then(
        (data) => live && setState({ key: loadedFor, data, error: undefined }),
        (error: unknown) => live && setState((s) => ({ key: loadedFor, data: s.data, error })),
      );
    return () => {
      live = false;
    };
    // The caller names what the load depends on, as with useEffect itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, key);
  const loading = state.key === null || !same(state.key, key);
  return { data: state.data, error: loading ? undefined : state.error, loading, reload };
}

/** Calls `fn` every `ms` while `active` (a background run's progress). */
export function useInterval(fn: () => void, ms: number, active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  }, [fn, ms, active]);
}
