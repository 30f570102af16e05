/**
 * Shared by the client tests (Apollo, urql, graphql-sse, the browser), which start the gateway
 * with `startStack({ preset: 'front-end' })`: the schema facts a client's cache is configured
 * with (possibleTypes, the ErrorCode values), a fetch that counts what a client sends,
 * console warnings captured, and a trusted-documents manifest written from a client's
 * own documents.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { buildSchema, isAbstractType, isObjectType, type GraphQLEnumType } from 'graphql';
import { vi } from 'vitest';
import { sha256Hex } from '../../src/documents/document-id.js';
import { newReference } from '../support/references.js';

/** The printed SDL: what a front end builds its cache configuration from (introspection is off in production). */
export const SCHEMA_SDL = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
const schema = buildSchema(SCHEMA_SDL);

/** Apollo's `possibleTypes` (and graphcache's heuristics) for the schema's interfaces and unions. */
export function possibleTypes(): Record<string, string[]> {
  const abstract = Object.values(schema.getTypeMap()).filter(isAbstractType);
  return Object.fromEntries(abstract.map((type) => [type.name, schema.getPossibleTypes(type).map((member) => member.name)]));
}

/** The object types without an `id`: a normalising cache embeds them in their parent. */
export function typesWithoutId(): string[] {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__') && !roots.has(type) && !('id' in type.getFields()))
    .map((type) => type.name);
}

/** The values of the ErrorCode enum, as the schema declares them. */
export const ERROR_CODES = (schema.getType('ErrorCode') as GraphQLEnumType).getValues().map((value) => value.name);

/** An initiate's input with a fresh reference; `amount: '0'` gets a ValidationError. */
export function paymentInput(currencyId: string, paymentMethodId: string, amount = '12.5') {
  return { currencyId, paymentMethodId, amount, referenceNumber: newReference('front-end'), redirectUrl: 'https://shop.example/return' };
}

/** One request a client sent through `countingFetch`. */
export interface SentRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The parsed JSON body of a POST, or the GraphQL parameters of a GET's query string. */
  params: { query?: string; operationName?: string; extensions?: { persistedQuery?: { sha256Hash: string } }; [name: string]: unknown };
}

/** A fetch for a client's `fetch` option that records each request before sending it. */
export function countingFetch(): { fetch: typeof fetch; requests: SentRequest[] } {
  const requests: SentRequest[] = [];
  const counting: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const params = request.method === 'POST' ? await request.clone().json() : paramsOfSearch(url.searchParams);
    requests.push({ method: request.method, url, headers: request.headers, params });
    return fetch(request);
  };
  return { fetch: counting, requests };
}

function paramsOfSearch(search: URLSearchParams): SentRequest['params'] {
  const json = (name: string) => (search.has(name) ? JSON.parse(search.get(name)!) : undefined);
  return {
    query: search.get('query') ?? undefined,
    operationName: search.get('operationName') ?? undefined,
    extensions: json('extensions'),
    variables: json('variables'),
  };
}

/** Every console.warn and console.error from now until `restore()` (the clients' dev warnings go there). */
export function captureWarnings(): { warnings: string[]; restore(): void } {
  const warnings: string[] = [];
  const record = (...args: unknown[]) => void warnings.push(format(...args));
  const spies = [vi.spyOn(console, 'warn').mockImplementation(record), vi.spyOn(console, 'error').mockImplementation(record)];
  return { warnings, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

/** Writes codegen's persisted-documents.json format (`{ "sha256:<hash>": "<document>" }`) to a temp file. */
export function writeManifest(documents: readonly string[]): string {
  const manifest = Object.fromEntries(documents.map((text) => [`sha256:${sha256Hex(text)}`, text]));
  const path = join(mkdtempSync(join(tmpdir(), 'trusted-documents-')), 'persisted-documents.json');
  writeFileSync(path, JSON.stringify(manifest, null, 2));
  return path;
}
