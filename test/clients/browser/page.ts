/**
 * What the browser bundles share: the page's configuration (written into the page by the
 * test's page server, as a front end ships its settings and schema) and the small API each
 * bundle puts on `window` for the test to drive: the payment flow and a live subscription.
 */
export interface PageConfig {
  gatewayUrl: string;
  apiKey: string;
  /** For Apollo's InMemoryCache: the members of each interface and union. */
  possibleTypes: Record<string, string[]>;
  /** For graphcache: the schema as introspection data (introspection is off in production). */
  introspection: object;
  /** For graphcache: the object types without an id, embedded in their parents. */
  typesWithoutId: string[];
}

/** A subscription as the page sees it: each `data`, any error, and whether the server completed it. */
export interface Watching {
  updates: { transactionUpdated: { id: string; status: string } }[];
  errors: string[];
  completed: boolean;
}

export interface FrontEnd {
  client: string;
  catalog(): Promise<any>;
  initiate(input: Record<string, string>): Promise<any>;
  process(signature: string): Promise<any>;
  /** Starts following a transaction; what arrives is in `watches[id]`. */
  watch(id: string): void;
  watches: Record<string, Watching>;
}

declare global {
  interface Window {
    frontEnd?: FrontEnd;
  }
}

export function readConfig(): PageConfig {
  return JSON.parse(document.getElementById('config')!.textContent!) as PageConfig;
}

const watches: Record<string, Watching> = {};

/** The sink of a subscription to `id`, filling `watches[id]`. */
export function watching(id: string): { next(data: any): void; error(error: unknown): void; complete(): void } {
  const state: Watching = (watches[id] = { updates: [], errors: [], completed: false });
  return {
    next: (data) => void state.updates.push(data),
    error: (error) => void state.errors.push(error instanceof Error ? error.message : JSON.stringify(error)),
    complete: () => void (state.completed = true),
  };
}

export function expose(frontEnd: Omit<FrontEnd, 'watches'>): void {
  window.frontEnd = { ...frontEnd, watches };
}
