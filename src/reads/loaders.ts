/**
 * Per-request DataLoaders over the shared catalog cache. One set per GraphQL request:
 * a request sees one consistent catalog and never repeats an upstream read, while a
 * transaction that may still change is read for each request (concurrent requests may share
 * a GET sent after they arrived: ./live-reads.ts, never an earlier answer). Upstream failures
 * leave here as gateway errors (src/errors/from-kspay.ts).
 */
import DataLoader from 'dataloader';
import { isUpstreamNotFound, toGatewayError } from '../errors/from-kspay.js';
import { NotFoundError } from '../errors/gateway-errors.js';
import type { KsPayClient } from '../kspay/client.js';
import type { CatalogEntry } from '../stores/types.js';
import { catalogKeys, type CatalogCache } from './catalog-cache.js';
import type { SettledTransactions } from './settled-transactions.js';
import type { LiveReads } from './live-reads.js';
import { isFinalStatus, type Currency, type PaymentMethod, type Transaction, type TransactionList, type TransactionListArgs } from '../kspay/models.js';

export interface Loaders {
  /** Every currency of the app, active or not, in upstream order. */
  allCurrencies(): Promise<Currency[]>;
  currency: DataLoader<string, Currency | null>;
  paymentMethodsByCurrency: DataLoader<string, PaymentMethod[]>;
  /** A payment method by id, found in the catalog: KS Pay has no call for one. */
  paymentMethod: DataLoader<string, PaymentMethod | null>;
  transaction: DataLoader<string, Transaction | null>;
  /** One upstream page of the transaction list, once per distinct query in a request. */
  transactionPage: DataLoader<TransactionListArgs, TransactionList, string>;
}

export interface LoaderDeps {
  client: KsPayClient;
  cache: CatalogCache;
  /** Settled transactions, answered with no upstream call (none: every lookup goes to KS Pay). */
  settled?: SettledTransactions;
  /** The instance's live reads, shared among concurrent requests without going stale (none: each request reads alone). */
  liveReads?: LiveReads;
  /** Told of every catalog entry the request was served, and whether it was past its TTL. */
  onCatalogServed?: (entry: CatalogEntry<unknown>, stale: boolean) => void;
  /** Told when the request was served a transaction that may still change: not final, not found, or a page of the list. */
  onLiveServed?: () => void;
}

/**
 * How often an id the cached currency list does not know may send for a fresh list. Unknown
 * ids are answered from the list (NOT_FOUND, or null) rather than by asking KS Pay about
 * each: a client must not be able to turn made-up ids into upstream calls.
 */
const UNKNOWN_CURRENCY_REFRESH_MS = 5_000;

/** A request's loaders, each set made on first use: a request that reads nothing through them (a payment mutation) builds none. */
export function createLoaders(deps: LoaderDeps): Loaders {
  let made: Loaders | undefined;
  const loaders = () => (made ??= makeLoaders(deps));
  return {
    allCurrencies: () => loaders().allCurrencies(),
    get currency() {
      return loaders().currency;
    },
    get paymentMethodsByCurrency() {
      return loaders().paymentMethodsByCurrency;
    },
    get paymentMethod() {
      return loaders().paymentMethod;
    },
    get transaction() {
      return loaders().transaction;
    },
    get transactionPage() {
      return loaders().transactionPage;
    },
  };
}

function makeLoaders(deps: LoaderDeps): Loaders {
  return { ...catalogLoaders(catalogReads(deps)), ...transactionLoaders(deps.liveReads ?? alone(deps.client), deps.settled, deps.onLiveServed) };
}

/** The catalog as this request reads it: through the shared cache, failures as gateway errors. */
interface CatalogReads {
  client: KsPayClient;
  fromCache<T>(key: string, load: () => Promise<T>): Promise<T>;
  allCurrencies(): Promise<Currency[]>;
  /** The currency list reloaded for an id it may lack: at most once per UNKNOWN_CURRENCY_REFRESH_MS. */
  refreshedCurrencies(): Promise<Currency[]>;
  /** The cached currencies by id; refreshed (rate-limited) when it lacks one of `ids`. */
  currenciesKnowing(ids: readonly string[]): Promise<Map<string, Currency>>;
}

function catalogReads({ client, cache, onCatalogServed }: LoaderDeps): CatalogReads {
  const currenciesKey = catalogKeys.currencies(client.appId);
  const loadCurrencies = () => client.currencies();
  const served = <T>(entry: CatalogEntry<T>): T => {
    onCatalogServed?.(entry, cache.isStale(entry));
    return entry.value;
  };
  const fromCache = async <T>(key: string, load: () => Promise<T>): Promise<T> => {
    try {
      return served(await cache.get(key, load));
    } catch (error) {
      throw toGatewayError(error);
    }
  };
  const allCurrencies = () => fromCache(currenciesKey, loadCurrencies);
  const refreshedCurrencies = async () => {
    const refreshed = await cache.refresh(currenciesKey, loadCurrencies, UNKNOWN_CURRENCY_REFRESH_MS).catch((error: unknown) => {
      throw toGatewayError(error);
    });
    return served(refreshed);
  };
  return {
    client,
    fromCache,
    allCurrencies,
    refreshedCurrencies,
    async currenciesKnowing(ids) {
      const byId = indexById(await allCurrencies());
      if (ids.every((id) => byId.has(id))) return byId;
      return indexById(await refreshedCurrencies());
    },
  };
}

function catalogLoaders(reads: CatalogReads): Pick<Loaders, 'allCurrencies' | 'currency' | 'paymentMethodsByCurrency' | 'paymentMethod'> {
  const { client, fromCache, allCurrencies, refreshedCurrencies, currenciesKnowing } = reads;
  const currency = new DataLoader<string, Currency | null>(async (ids) => {
    const byId = await currenciesKnowing(ids);
    return ids.map((id) => byId.get(id) ?? null);
  });

  // No batch endpoint upstream: one call per known currency, all started at once.
  const paymentMethodsByCurrency = new DataLoader<string, PaymentMethod[]>(async (currencyIds) => {
    const known = await currenciesKnowing(currencyIds).catch(toError);
    if (known instanceof Error) return currencyIds.map(() => known);
    return Promise.all(
      currencyIds.map((currencyId) =>
        known.has(currencyId)
          ? fromCache(catalogKeys.paymentMethods(client.appId, currencyId), () => client.paymentMethods({ currencyId })).catch(toError)
          : new NotFoundError('Currency', currencyId),
      ),
    );
  });

  /** Every method of these currencies by id, and the first failure among their lists. */
  async function methodsOf(currencies: Currency[]): Promise<{ byId: Map<string, PaymentMethod>; failure: Error | null }> {
    const lists = await paymentMethodsByCurrency.loadMany(currencies.map((c) => c.id));
    const byId = new Map<string, PaymentMethod>();
    for (const list of lists) if (!(list instanceof Error)) for (const method of list) byId.set(method.id, method);
    return { byId, failure: lists.find((list) => list instanceof Error) ?? null };
  }

  // Searched in every currency's (cached) list, inactive currencies too; an id none holds
  // reloads only the currency list, rate-limited as for unknown currencies, never each method list.
  const paymentMethod = new DataLoader<string, PaymentMethod | null>(async (ids) => {
    let found = await methodsOf(await allCurrencies());
    if (ids.some((id) => !found.byId.has(id))) found = await methodsOf(await refreshedCurrencies());
    // Not found while a list could not be read: unknown, not absent.
    return ids.map((id) => found.byId.get(id) ?? found.failure ?? null);
  });

  return { allCurrencies, currency, paymentMethodsByCurrency, paymentMethod };
}

/**
 * Transactions change until they settle: a settled one comes from the settled cache, any other
 * is read for each request, through the instance's live reads. (The client's reads fill the cache.)
 */
function transactionLoaders(
  reads: LiveReads,
  settled: SettledTransactions | undefined,
  onLiveServed: (() => void) | undefined,
): Pick<Loaders, 'transaction' | 'transactionPage'> {
  const fetchOne = (id: string) => reads.transaction(id).catch((error: unknown) => (isUpstreamNotFound(error) ? null : toError(error)));
  const served = (results: (Transaction | Error | null)[]) => {
    if (onLiveServed && results.some((result) => !result || result instanceof Error || !isFinalStatus(result.status))) onLiveServed();
    return results;
  };
  const transaction = new DataLoader<string, Transaction | null>(async (ids) => {
    if (!settled) return served(await Promise.all(ids.map(fetchOne)));
    const known = await settled.find(ids);
    return served(await Promise.all(ids.map((id) => known.get(id) ?? fetchOne(id))));
  });
  const transactionPage = new DataLoader<TransactionListArgs, TransactionList, string>(
    (queries) => {
      onLiveServed?.();
      return Promise.all(queries.map((query) => reads.transactions(query).catch(toError)));
    },
    { cacheKeyFn: (query) => JSON.stringify(query) },
  );
  return { transaction, transactionPage };
}

/** Reads straight from the client, each request its own: what a loader built without the instance's LiveReads uses. */
function alone(client: KsPayClient): LiveReads {
  return { transaction: (id) => client.transaction({ id }), transactions: (query) => client.transactions(query) };
}

function indexById(currencies: Currency[]): Map<string, Currency> {
  return new Map(currencies.map((c) => [c.id, c]));
}

/** DataLoader wants failures as values: the gateway error for an upstream failure, any other error as it is. */
function toError(error: unknown): Error {
  const mapped = toGatewayError(error);
  return mapped instanceof Error ? mapped : new Error(String(mapped));
}
