import { useApi } from './session';
import { useResource } from './use-resource';

/** The API's reference lists (GET /v1/transaction-types, /v1/currencies), so the apps carry no copy of them. */
export function useReference(): { transactionTypes: string[]; currencies: string[] } {
  const api = useApi();
  const types = useResource(() => api.get<{ items: string[] }>('/v1/transaction-types'), []);
  const currencies = useResource(() => api.get<{ items: { code: string }[] }>('/v1/currencies'), []);
  return { transactionTypes: types.data?.items ?? [], currencies: currencies.data?.items.map((c) => c.code) ?? [] };
}
