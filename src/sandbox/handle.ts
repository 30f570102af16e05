/**
 * What a running sandbox hands whoever started it (the entry point, tests, benchmarks):
 * where it listens, the demo credentials, the test controls and a read-only view of
 * its transactions. Everything a test needs goes through here or the /__sandbox/ API.
 */
import type { CallCounter, FaultController } from './faults.js';
import type { SandboxStore } from './store.js';
import { type StoredTransaction, newestFirst } from './transaction-log.js';
import type { ShapeController } from './views.js';

/** How many of the most recently issued tokens `tokens.issued()` lists. */
export const ISSUED_TOKENS_KEPT = 10_000;

export interface SandboxTokens {
  /** Every access token issued so far expires now. */
  expireAll(): void;
  /** The last ISSUED_TOKENS_KEPT tokens issued (access and refresh), oldest first: for leak checks. */
  issued(): readonly string[];
}

/** How many of the most recent `traceparent` headers `traceparents()` lists. */
export const TRACEPARENTS_KEPT = 1_000;

/** Read-only: the records are frozen and the lists are copies. */
export interface SandboxTransactions {
  /** Newest first; every app's when `appId` is omitted. */
  list(appId?: string): readonly StoredTransaction[];
  /** Any app's transaction. */
  byId(txnId: string): StoredTransaction | undefined;
  /** The app's transactions with this reference, newest first (KS Pay does not dedupe them). */
  byReference(appId: string, referenceNumber: string): readonly StoredTransaction[];
}

export interface Sandbox {
  /** e.g. 'http://127.0.0.1:PORT', no trailing slash. */
  url: string;
  /** The demo app's credentials. */
  credentials: { appId: string; accessKey: string; secretKey: string };
  calls: CallCounter;
  faults: FaultController;
  shapes: ShapeController;
  tokens: SandboxTokens;
  transactions: SandboxTransactions;
  /** The W3C `traceparent` headers of the last TRACEPARENTS_KEPT requests that carried one, oldest first. */
  traceparents(): readonly string[];
  /** Stops listening and destroys keep-alive sockets and hanging requests. */
  close(): Promise<void>;
}

export function transactionsView(store: SandboxStore): SandboxTransactions {
  const list = (appId?: string) =>
    appId !== undefined
      ? store.transactions(appId)
      : store
          .apps()
          .flatMap((app) => store.transactions(app.id))
          .sort(newestFirst);
  return {
    list,
    byId: (txnId) => store.transactionById(txnId),
    byReference: (appId, referenceNumber) => list(appId).filter((t) => t.referenceNumber === referenceNumber),
  };
}
