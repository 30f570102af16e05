/**
 * Per-request DataLoaders over the shared catalog cache. One set per GraphQL request:
 * a request sees one consistent catalog and never repeats an upstream read, while
 * transactions (which change) are never shared between requests.
 */
import DataLoader from 'dataloader';
import { catalogKeys, type CatalogCache, type CatalogEntry } from './cache.js';
import type { KsPayClient } from './kspay/client.js';
import { isKsPayError } from './kspay/errors.js';
import type { Currency, PaymentMethod, Transaction, TransactionList, TransactionListArgs } from './kspay/models.js';

export interface Loaders {
  /** Every currency of the app, active or not, in upstream order. */
  allCurrencies(): Promise<Currency[]>;
  currency: DataLoader<string, Currency | null>;
  paymentMethodsByCurrency: DataLoader<string, PaymentMethod[]>;
  transaction: DataLoader<string, Transaction | null>;
  /** One upstream page of the transaction list, once per distinct query in a request. */
  transactionPage: DataLoader<TransactionListArgs, TransactionList, string>;
}

export interface LoaderDeps {
  client: KsPayClient;
  cache: CatalogCache;
  /** Called with the age of any catalog entry served past its TTL. */
  onStaleCatalog?: (ageMs: number) => void;
}

export function createLoaders({ client, cache, onStaleCatalog }: LoaderDeps): Loaders {
  const appId = client.appId;

  async function fromCache<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry: CatalogEntry<T> = await cache.get(key, load);
    if (cache.isStale(entry)) onStaleCatalog?.(Date.now() - entry.fetchedAt);
    return entry.value;
  }

  const allCurrencies = () => fromCache(catalogKeys.currencies(appId), () => client.currencies());

  const currency = new DataLoader<string, Currency | null>(async (ids) => {
    const byId = new Map((await allCurrencies()).map((c) => [c.id, c]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  // No batch endpoint upstream: one call per currency, all started at once.
  const paymentMethodsByCurrency = new DataLoader<string, PaymentMethod[]>((currencyIds) =>
    Promise.all(
      currencyIds.map((currencyId) =>
        fromCache(catalogKeys.paymentMethods(appId, currencyId), () => client.paymentMethods({ currencyId })).catch(
          (error: unknown) => toError(error),
        ),
      ),
    ),
  );

  const transaction = new DataLoader<string, Transaction | null>((ids) =>
    Promise.all(
      ids.map((id) =>
        client.transaction({ id }).catch((error: unknown) => (isNotFound(error) ? null : toError(error))),
      ),
    ),
  );

  const transactionPage = new DataLoader<TransactionListArgs, TransactionList, string>(
    (queries) => Promise.all(queries.map((query) => client.transactions(query).catch(toError))),
    { cacheKeyFn: (query) => JSON.stringify(query) },
  );

  return { allCurrencies, currency, paymentMethodsByCurrency, transaction, transactionPage };
}

function isNotFound(error: unknown): boolean {
  return isKsPayError(error) && error.httpStatus === 404 && error.code === 24;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
