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
import { catalogKeys } from './catalog-cache.js';
import { isFinalStatus } from '../kspay/models.js';
/**
 * How often an id the cached currency list does not know may send for a fresh list. Unknown
 * ids are answered from the list (NOT_FOUND, or null) rather than by asking KS Pay about
 * each: a client must not be able to turn made-up ids into upstream calls.
 */
const UNKNOWN_CURRENCY_REFRESH_MS = 5_000;
export function createLoaders(deps) {
    return { ...catalogLoaders(catalogReads(deps)), ...transactionLoaders(deps.liveReads ?? alone(deps.client), deps.settled, deps.onLiveServed) };
}
function catalogReads({ client, cache, onCatalogServed }) {
    const currenciesKey = catalogKeys.currencies(client.appId);
    const loadCurrencies = () => client.currencies();
    const served = (entry) => {
        onCatalogServed?.(entry, cache.isStale(entry));
        return entry.value;
    };
    const fromCache = async (key, load) => {
        try {
            return served(await cache.get(key, load));
        }
        catch (error) {
            throw toGatewayError(error);
        }
    };
    const allCurrencies = () => fromCache(currenciesKey, loadCurrencies);
    const refreshedCurrencies = async () => {
        const refreshed = await cache.refresh(currenciesKey, loadCurrencies, UNKNOWN_CURRENCY_REFRESH_MS).catch((error) => {
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
            if (ids.every((id) => byId.has(id)))
                return byId;
            return indexById(await refreshedCurrencies());
        },
    };
}
function catalogLoaders(reads) {
    const { client, fromCache, allCurrencies, refreshedCurrencies, currenciesKnowing } = reads;
    const currency = new DataLoader(async (ids) => {
        const byId = await currenciesKnowing(ids);
        return ids.map((id) => byId.get(id) ?? null);
    });
    // No batch endpoint upstream: one call per known currency, all started at once.
    const paymentMethodsByCurrency = new DataLoader(async (currencyIds) => {
        const known = await currenciesKnowing(currencyIds).catch(toError);
        if (known instanceof Error)
            return currencyIds.map(() => known);
        return Promise.all(currencyIds.map((currencyId) => known.has(currencyId)
            ? fromCache(catalogKeys.paymentMethods(client.appId, currencyId), () => client.paymentMethods({ currencyId })).catch(toError)
            : new NotFoundError('Currency', currencyId)));
    });
    /** Every method of these currencies by id, and the first failure among their lists. */
    async function methodsOf(currencies) {
        const lists = await paymentMethodsByCurrency.loadMany(currencies.map((c) => c.id));
        const byId = new Map();
        for (const list of lists)
            if (!(list instanceof Error))
                for (const method of list)
                    byId.set(method.id, method);
        return { byId, failure: lists.find((list) => list instanceof Error) ?? null };
    }
    // Searched in every currency's (cached) list, inactive currencies too; an id none holds
    // reloads only the currency list, rate-limited as for unknown currencies, never each method list.
    const paymentMethod = new DataLoader(async (ids) => {
        let found = await methodsOf(await allCurrencies());
        if (ids.some((id) => !found.byId.has(id)))
            found = await methodsOf(await refreshedCurrencies());
        // Not found while a list could not be read: unknown, not absent.
        return ids.map((id) => found.byId.get(id) ?? found.failure ?? null);
    });
    return { allCurrencies, currency, paymentMethodsByCurrency, paymentMethod };
}
/**
 * Transactions change until they settle: a settled one comes from the settled cache, any other
 * is read for each request, through the instance's live reads. (The client's reads fill the cache.)
 */
function transactionLoaders(reads, settled, onLiveServed) {
    const fetchOne = (id) => reads.transaction(id).catch((error) => (isUpstreamNotFound(error) ? null : toError(error)));
    const served = (results) => {
        if (onLiveServed && results.some((result) => !result || result instanceof Error || !isFinalStatus(result.status)))
            onLiveServed();
        return results;
    };
    const transaction = new DataLoader(async (ids) => {
        if (!settled)
            return served(await Promise.all(ids.map(fetchOne)));
        const known = await settled.find(ids);
        return served(await Promise.all(ids.map((id) => known.get(id) ?? fetchOne(id))));
    });
    const transactionPage = new DataLoader((queries) => {
        onLiveServed?.();
        return Promise.all(queries.map((query) => reads.transactions(query).catch(toError)));
    }, { cacheKeyFn: (query) => JSON.stringify(query) });
    return { transaction, transactionPage };
}
/** Reads straight from the client, each request its own: what a loader built without the instance's LiveReads uses. */
function alone(client) {
    return { transaction: (id) => client.transaction({ id }), transactions: (query) => client.transactions(query) };
}
function indexById(currencies) {
    return new Map(currencies.map((c) => [c.id, c]));
}
/** DataLoader wants failures as values: the gateway error for an upstream failure, any other error as it is. */
function toError(error) {
    const mapped = toGatewayError(error);
    return mapped instanceof Error ? mapped : new Error(String(mapped));
}
