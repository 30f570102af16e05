/**
 * The bare-upstream baseline: the REST calls a hand-written client makes to get the
 * same data as each GraphQL operation, straight to the sandbox with a bearer token and
 * keep-alive (Node's global fetch pools connections per origin). No GraphQL, no cache
 * across operations; within one operation calls are deduplicated and run in parallel
 * where the data allows, which is the best a careful REST client can do:
 *
 *   catalog      GET /currencies, then GET /{id}/payment-methods for each active one
 *   transaction  GET /transaction/txnId/{id}, then GET /currencies ‖ GET /{currencyId}/payment-methods
 *   page of 50   GET /transaction?page=1&limit=50, then GET /currencies ‖ methods of each distinct currency
 *   initiate     POST /transaction/initiate
 *
 * autocannon cannot fan out per request, so this runs under the custom loop in load.ts.
 */
import type { WireCurrency, WireEnvelope, WireTokens, WireTransaction, WireTransactionPage } from '../src/kspay/types.js';

export interface BareUpstream {
  catalog(): Promise<void>;
  transaction(id: string): Promise<void>;
  page(limit: number): Promise<void>;
  initiate(input: { currencyId: string; paymentMethodId: string; amount: string; referenceNumber: string }): Promise<void>;
}

export interface Upstream {
  url: string;
  credentials: { appId: string; accessKey: string; secretKey: string };
}

/** Logs in once (the token outlives any run here) and returns the operations. */
export async function connectBareUpstream({ url, credentials }: Upstream): Promise<BareUpstream> {
  const { appId, accessKey, secretKey } = credentials;
  const tokens = await call<WireTokens>(`${url}/auth/generate-token/${appId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessKey, secretKey }),
  });
  const authorization = `Bearer ${tokens.accessToken}`;
  const get = <T>(path: string) => call<T>(`${url}${path}`, { headers: { authorization } });
  const methodsOf = (currencyId: string) => get(`/${encodeURIComponent(currencyId)}/payment-methods`);

  return {
    async catalog() {
      const currencies = await get<WireCurrency[]>('/currencies');
      await Promise.all(currencies.filter((c) => c.isActive).map((c) => methodsOf(c.id)));
    },
    async transaction(id) {
      const tx = await get<WireTransaction>(`/transaction/txnId/${encodeURIComponent(id)}`);
      await Promise.all([get('/currencies'), ...(tx.currencyId ? [methodsOf(tx.currencyId)] : [])]);
    },
    async page(limit) {
      const page = await get<WireTransactionPage>(`/transaction?page=1&limit=${limit}`);
      const currencyIds = new Set(page.items.map((t) => t.currencyId).filter((id): id is string => Boolean(id)));
      await Promise.all([get('/currencies'), ...[...currencyIds].map(methodsOf)]);
    },
    async initiate(input) {
      // The amount goes out as a JSON number literal, as the gateway's client writes it.
      const body = `{"currencyId":${JSON.stringify(input.currencyId)},"paymentMethodId":${JSON.stringify(input.paymentMethodId)},"amount":${input.amount},"referenceNumber":${JSON.stringify(input.referenceNumber)},"appId":${JSON.stringify(appId)},"redirectUrl":"https://shop.example/return"}`;
      await call(`${url}/transaction/initiate`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body,
      });
    },
  };
}

/** One REST exchange: the whole body is read and parsed (as any client must), then unwrapped. */
async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}`);
  const body = JSON.parse(text) as WireEnvelope<T> | T;
  // The sandbox wraps results in { status, message, result } by default; a bare body is accepted too.
  return body !== null && typeof body === 'object' && 'result' in body ? (body.result as T) : (body as T);
}
