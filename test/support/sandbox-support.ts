/**
 * One sandbox per test file, for the tests that meet KS Pay without a gateway: the sandbox
 * contract tests (test/sandbox/, raw HTTP calls and fixtures) and the KS Pay client's (test/kspay/).
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { CURRENCY_IDS, DEMO_APP, PAYMENT_METHOD_IDS as PM, type FixtureApp } from '../../src/sandbox/fixtures.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { newReference } from './references.js';

export { newReference };

// Response bodies are arbitrary JSON; the assertions say what they must hold.
export type Json = any;

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  signal?: AbortSignal;
  box?: Sandbox;
}

let started: Sandbox | undefined;
let sharedToken: string | undefined;

/** This file's sandbox, once useSandbox() has started it (a function: the binding is not exported to be reassigned). */
export function sandbox(): Sandbox {
  if (!started) throw new Error('useSandbox() has not started a sandbox yet');
  return started;
}

/** The access token useSandbox() logged in with (or the one useToken() replaced it by). */
export function token(): string {
  if (!sharedToken) throw new Error('useSandbox() has not logged in yet');
  return sharedToken;
}

export async function call(path: string, options: CallOptions = {}): Promise<Answer> {
  const { method = options.body === undefined ? 'GET' : 'POST', headers = {}, body, signal, box = sandbox() } = options;
  const isText = typeof body === 'string';
  const response = await fetch(box.url + path, {
    method,
    headers: { ...(body === undefined || isText ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
    signal,
    redirect: 'manual',
  });
  const text = await response.text();
  let parsed: Json = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // HTML or empty: keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

export const keysOf = (app: FixtureApp) => ({ accessKey: app.accessKey, secretKey: app.secretKey });

export async function login(box = sandbox(), app: FixtureApp = DEMO_APP): Promise<{ accessToken: string; refreshToken: string }> {
  const answer = await call(`/auth/generate-token/${app.id}`, { body: keysOf(app), box });
  expect(answer.status).toBe(201);
  return answer.body.result;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function initiateBody(overrides: Record<string, unknown> = {}) {
  return {
    currencyId: CURRENCY_IDS.INR,
    paymentMethodId: PM.INR_NET_BANKING,
    amount: 345.67,
    referenceNumber: newReference(),
    appId: DEMO_APP.id,
    redirectUrl: 'https://merchant.example/return?order=42',
    ...overrides,
  };
}

export async function initiate(token: string, overrides: Record<string, unknown> = {}, box = sandbox()): Promise<Answer> {
  return call('/transaction/initiate', { body: initiateBody(overrides), headers: bearer(token), box });
}

/** Initiates and processes a transaction; answers its id and signature. */
export async function processed(token: string, overrides: Record<string, unknown> = {}) {
  const started = await initiate(token, overrides);
  expect(started.status).toBe(201);
  const { pe_txnId: txnId, signature } = started.body.result;
  const processedAnswer = await call('/transaction/process', { method: 'POST', headers: { 'x-signature': signature } });
  expect(processedAnswer.status).toBe(201);
  return { txnId: txnId as string, signature: signature as string };
}

export function expectError(answer: Answer, status: number, code: number, message?: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ status, code });
  expect(typeof answer.body.message).toBe('string');
  expect(answer.body).not.toHaveProperty('result');
  if (message) expect(answer.body.message).toBe(message);
}

/** Replaces the shared token after a test expired it. */
export function useToken(fresh: string): void {
  sharedToken = fresh;
}

/** One sandbox per test file, logged in; its faults, shapes and call counts are reset before each test. */
export function useSandbox(): void {
  beforeAll(async () => {
    started = await startSandbox();
    sharedToken = (await login()).accessToken;
  });
  afterAll(async () => {
    await started?.close();
    started = sharedToken = undefined; // the next file in this worker starts its own
  });
  beforeEach(() => {
    sandbox().faults.reset();
    sandbox().shapes.reset();
    sandbox().calls.reset();
  });
}
