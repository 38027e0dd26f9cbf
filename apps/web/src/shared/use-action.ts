import { FormEvent, useState } from 'react';

export interface Action {
  busy: boolean;
  error: unknown;
  setError(error: unknown): void;
  /** Runs `fn` (a form's submit when given the event): busy meanwhile, its failure kept as `error`; true when it succeeded. */
  run(fn: () => Promise<unknown>, event?: FormEvent): Promise<boolean>;
}

/** One user action against the API at a time (a form, a dialog's confirm), with its busy state and the API's refusal. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return {
    busy,
    error,
    setError,
    async run(fn, event) {
      event?.preventDefault();
      setBusy(true);
      setError(undefined);
      try {
        await fn();
        return true;
      } catch (err) {
        setError(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}
