/**
 * What one GraphQL operation did, gathered while it runs: the request id, the upstream
 * calls it caused, and the error codes it returned. AsyncLocalStorage carries it through
 * resolvers, loaders and the KS Pay client without threading it through every call.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  requestId: string;
  upstreamCalls: number;
  errorCodes: string[];
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

/** The scope of the operation running now, if any. */
export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}
