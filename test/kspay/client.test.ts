/**
 * KsPayClient against the built-in sandbox over real HTTP: every endpoint, every shape a
 * conforming server may answer in, exact amounts, errors, and secrets kept out of errors.
 * A few answers no sandbox knob produces (unreadable bodies) come from a tiny stub server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KsPayClient, type KsPayClientOptions } from '../../src/kspay/client.js';
import type { KsPayError } from '../../src/kspay/kspay-error.js';
import { CURRENCY_IDS, FIXTURE_CURRENCIES, PAYMENT_METHOD_IDS } from '../../src/sandbox/fixtures.js';
import { failureOf, initiateArgs } from '../support/client-helpers.js';
import { sandbox, useSandbox } from '../support/sandbox-support.js';
import { closeServer, listenOnLoopback } from '../support/loopback.js';
import type { KsPayEndpoint } from '../../src/kspay/types.js';

useSandbox();
afterEach(() => {
  vi.restoreAllMocks();
});

function clientFor(overrides: Partial<KsPayClientOptions> = {}): KsPayClient {
  return new KsPayClient({ baseUrl: sandbox().url, ...sandbox().credentials, timeoutMs: 2000, ...overrides });
}

describe('each endpoint', () => {
  it('logs in lazily: constructing a client calls nothing, the first call logs in once', async () => {
    const client = clientFor();
    expect(sandbox().calls.count()).toBe(0);
    await client.currencies();
    await client.currencies();
    expect(sandbox().calls.snapshot()).toMatchObject({ generateToken: 1, refreshToken: 0, currencies: 2 });
  });

  it('currencies: every field of the catalog, fiat and crypto, inactive included', async () => {
    const currencies = await clientFor().currencies();
    expect(currencies).toEqual(FIXTURE_CURRENCIES.map(({ paymentMethods: _, ...currency }) => ({ ...currency })));
    expect(currencies.find((c) => c.code === 'USDT')).toMatchObject({ type: 'CRYPTO', decimalPlaces: 6 });
    expect(currencies.filter((c) => !c.isActive).map((c) => c.code)).toEqual(['JPY']);
  });

  it('paymentMethods: the methods of one currency', async () => {
    const methods = await clientFor().paymentMethods({ currencyId: CURRENCY_IDS.INR });
    const inr = FIXTURE_CURRENCIES.find((c) => c.id === CURRENCY_IDS.INR)!;
    expect(methods).toEqual(inr.paymentMethods);
  });

  it('percent-encodes path parameters, so an odd id reaches its own route', async () => {
    const error = await failureOf(clientFor().paymentMethods({ currencyId: 'c_Dem/INR01' }));
    expect(error).toMatchObject({ endpoint: 'paymentMethods', httpStatus: 400, code: -17 });
    expect(sandbox().calls.count('paymentMethods')).toBe(1);
  });

  it('accepts a base URL with a trailing slash', async () => {
    const currencies = await clientFor({ baseUrl: `${sandbox().url}/` }).currencies();
    expect(currencies.length).toBe(FIXTURE_CURRENCIES.length);
  });

  it('initiate, process, then read the transaction by id and in the list', async () => {
    const client = clientFor();
    const args = initiateArgs();
    const initiated = await client.initiateTransaction(args);
    expect(initiated).toMatchObject({ currencyCode: 'INR', amount: { text: '345.67' } });
    expect(initiated.signature).toMatch(/^[0-9a-f]{64}$/);
    const [stored] = sandbox().transactions.byReference(client.appId, args.referenceNumber);
    expect(initiated.transactionId).toBe(stored!.id);
    expect(initiated.providerOrderId).toBe(stored!.providerOrderId);

    const processed = await client.processTransaction({ signature: initiated.signature });
    expect(processed).toMatchObject({
      providerOrderId: stored!.providerOrderId,
      amount: { text: '345.67' },
      currencyCode: 'INR',
      checkoutUrl: `${sandbox().url}/checkout/${stored!.id}`,
    });
    expect(processed.order).toMatchObject({ id: stored!.providerOrderId, kspayId: stored!.id });

    const transaction = await client.transaction({ id: stored!.id });
    expect(transaction).toEqual({
      id: stored!.id,
      referenceNumber: args.referenceNumber,
      amount: { text: '345.67', places: 2 },
      currencyCode: 'INR',
      currencyId: CURRENCY_IDS.INR,
      paymentMethodId: PAYMENT_METHOD_IDS.INR_UPI,
      status: 'PROCESSING',
      providerOrderId: stored!.providerOrderId,
      providerPaymentId: null,
      redirectUrl: args.redirectUrl,
      createdAt: stored!.createdAt,
      updatedAt: expect.any(String),
    });

    const list = await client.transactions({ page: 1, limit: 100 });
    expect(list).toMatchObject({ page: 1, limit: 100, total: sandbox().transactions.list(client.appId).length });
    expect(list.items).toContainEqual(transaction);
  });

  it('passes the list filters as query parameters', async () => {
    const client = clientFor();
    await client.initiateTransaction(initiateArgs());
    const today = new Date().toISOString().slice(0, 10);
    const list = await client.transactions({ page: 1, limit: 1, fromDate: today, toDate: today });
    expect(list).toMatchObject({ page: 1, limit: 1 });
    expect(list.items).toHaveLength(1);
    expect(list.total).toBeGreaterThanOrEqual(1);
  });

  it("initiate can sign its body with the secret key instead (the doc's server-to-server sample)", async () => {
    const client = clientFor({ initiateAuth: 'signature' });
    const args = initiateArgs();
    const initiated = await client.initiateTransaction(args);
    expect(sandbox().transactions.byReference(client.appId, args.referenceNumber)).toHaveLength(1);
    expect(initiated.transactionId).toMatch(/^tx_/);
    expect(sandbox().calls.count('generateToken')).toBe(0);
  });
});

describe('tolerant reading: every shape a conforming server may answer in', () => {
  /** Everything the client reads, for one initiated transaction. */
  async function readEverything(client: KsPayClient) {
    const args = initiateArgs();
    const initiated = await client.initiateTransaction(args);
    const [stored] = sandbox().transactions.byReference(client.appId, args.referenceNumber);
    return {
      currencies: await client.currencies(),
      methods: await client.paymentMethods({ currencyId: CURRENCY_IDS.INR }),
      initiated,
      processed: await client.processTransaction({ signature: initiated.signature }),
      transaction: await client.transaction({ id: stored!.id }),
      list: await client.transactions({ limit: 100 }),
      stored,
    };
  }

  it('bare bodies read the same as enveloped ones', async () => {
    const client = clientFor();
    const enveloped = await readEverything(client);
    sandbox().shapes.set({ envelope: false });
    const bare = await readEverything(client);
    expect(bare.currencies).toEqual(enveloped.currencies);
    expect(bare.methods).toEqual(enveloped.methods);
    expect(bare.initiated).toMatchObject({ transactionId: bare.stored!.id, amount: { text: '345.67' } });
    expect(bare.processed.providerOrderId).toBe(bare.stored!.providerOrderId);
    expect(bare.transaction).toMatchObject({ id: bare.stored!.id, status: 'PROCESSING' });
    expect(bare.list.total).toBe(Number(enveloped.list.total) + 1);
  });

  it('the signature-only initiate result: signature, and null for the rest', async () => {
    sandbox().shapes.set({ initiate: 'signatureOnly' });
    const client = clientFor();
    const initiated = await client.initiateTransaction(initiateArgs());
    expect(initiated).toEqual({
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      transactionId: null,
      providerOrderId: null,
      amount: null,
      currencyCode: null,
    });
    await expect(client.processTransaction({ signature: initiated.signature })).resolves.toBeDefined();
  });

  it('a bare list: every transaction, with null paging fields', async () => {
    const client = clientFor();
    await client.initiateTransaction(initiateArgs());
    sandbox().shapes.set({ list: 'bare' });
    const list = await client.transactions({ limit: 1 });
    expect(list).toMatchObject({ page: null, limit: null, total: null });
    expect(list.items).toHaveLength(sandbox().transactions.list(client.appId).length);
  });

  it('extra fields are ignored everywhere', async () => {
    const client = clientFor();
    const plain = await readEverything(client);
    sandbox().shapes.set({ extraFields: true });
    const extra = await readEverything(client);
    expect(extra.currencies).toEqual(plain.currencies);
    expect(extra.methods).toEqual(plain.methods);
    expect(Object.keys(extra.transaction).sort()).toEqual(Object.keys(plain.transaction).sort());
    expect(extra.transaction).toMatchObject({ id: extra.stored!.id, amount: { text: '345.67' }, status: 'PROCESSING' });
    expect(extra.list.total).toBe(Number(plain.list.total) + 1);
  });

  it('missing optional fields become null', async () => {
    sandbox().shapes.set({ omitOptional: true });
    const everything = await readEverything(clientFor());
    expect(everything.currencies[0]).toMatchObject({ code: 'INR', createdAt: null, decimalPlaces: null });
    expect(everything.initiated).toMatchObject({ transactionId: null, providerOrderId: null, amount: null });
    expect(everything.transaction).toEqual({
      id: everything.stored!.id,
      amount: { text: '345.67', places: 2 },
      status: 'PROCESSING',
      referenceNumber: null,
      currencyCode: null,
      currencyId: null,
      paymentMethodId: null,
      providerOrderId: null,
      providerPaymentId: null,
      redirectUrl: null,
      createdAt: null,
      updatedAt: null,
    });
  });
});

describe('amounts are exact decimals end to end', () => {
  const { USDT, INR, USD } = CURRENCY_IDS;
  const methods = PAYMENT_METHOD_IDS;
  it.each([
    { code: 'USDT', currencyId: USDT, paymentMethodId: methods.USDT_WALLET, amount: '0.000001' },
    { code: 'INR', currencyId: INR, paymentMethodId: methods.INR_UPI, amount: '12345678.91' },
    { code: 'USD', currencyId: USD, paymentMethodId: methods.USD_CREDIT_CARD, amount: '0.3' },
  ])('$amount $code goes out as the literal and comes back the same', async (example) => {
    const { amount } = example;
    const sent: string[] = [];
    // The bytes on the wire, through the client's fetch option (by default it sends over node:http).
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      sent.push(await request.clone().text());
      return fetch(request);
    };
    const client = clientFor({ fetch: recording });
    const args = initiateArgs(example);
    const initiated = await client.initiateTransaction(args);

    expect(sent.find((body) => body.includes(args.referenceNumber))).toContain(`"amount":${amount},`);
    const [stored] = sandbox().transactions.byReference(client.appId, args.referenceNumber);
    expect(stored!.amount).toBe(amount);
    expect(initiated.amount?.text).toBe(amount);
    expect((await client.transaction({ id: stored!.id })).amount.text).toBe(amount);
  });
});

describe('errors become KsPayError with the endpoint, HTTP status and KS Pay code', () => {
  type Case = { what: string; endpoint: KsPayEndpoint; httpStatus: number; code: number };
  const cases: (Case & { call: (client: KsPayClient) => Promise<unknown> })[] = [
    {
      what: 'unknown currency',
      endpoint: 'paymentMethods',
      httpStatus: 400,
      code: 1052,
      call: (client) => client.paymentMethods({ currencyId: 'c_Missing001' }),
    },
    {
      what: 'malformed id',
      endpoint: 'transaction',
      httpStatus: 400,
      code: -17,
      call: (client) => client.transaction({ id: 'tx_short' }),
    },
    {
      what: 'unknown transaction',
      endpoint: 'transaction',
      httpStatus: 404,
      code: 24,
      call: (client) => client.transaction({ id: 'tx_Missing01' }),
    },
    {
      what: 'too many decimal places',
      endpoint: 'initiate',
      httpStatus: 400,
      code: -19,
      call: (client) => client.initiateTransaction(initiateArgs({ amount: '1.001' })),
    },
    {
      what: 'unknown payment method',
      endpoint: 'initiate',
      httpStatus: 404,
      code: 12001,
      call: (client) => client.initiateTransaction(initiateArgs({ paymentMethodId: 'pm_Missing01' })),
    },
    {
      what: 'malformed signature',
      endpoint: 'process',
      httpStatus: 400,
      code: 11006,
      call: (client) => client.processTransaction({ signature: 'not-a-signature' }),
    },
    {
      what: 'unknown or expired signature',
      endpoint: 'process',
      httpStatus: 400,
      code: 11005,
      call: (client) => client.processTransaction({ signature: 'ab'.repeat(32) }),
    },
    {
      what: 'date range over 90 days',
      endpoint: 'transactions',
      httpStatus: 400,
      code: 11006,
      call: (client) => client.transactions({ fromDate: '2024-01-01', toDate: '2024-06-01' }),
    },
  ];

  it.each(cases)('$what → $code', async ({ call, endpoint, httpStatus, code }) => {
    const error = await failureOf(call(clientFor()));
    expect(error).toMatchObject({ reason: 'rejected', endpoint, httpStatus, code, outcomeUnknown: false });
    expect(error.name).toBe('KsPayError');
    expect(error.message).not.toBe('');
    expect(sandbox().calls.count(endpoint)).toBe(1); // a 4xx is never retried
  });

  it('bad credentials fail the login, named as such', async () => {
    const error = await failureOf(clientFor({ secretKey: 'sk_wrong' }).currencies());
    expect(error).toMatchObject({ endpoint: 'generateToken', httpStatus: 400, code: 11004, reason: 'rejected' });
    expect(sandbox().calls.count('currencies')).toBe(0);
  });
});

describe('secrets never appear in errors', () => {
  function expectNoSecrets(error: KsPayError, secrets: string[]) {
    const inspected = inspect(error, { showHidden: true, depth: 10 });
    for (const rendering of [error.message, error.stack ?? '', JSON.stringify(error), inspected]) {
      for (const secret of secrets) expect(rendering).not.toContain(secret);
    }
  }

  it('not in message, JSON or inspect output, whatever failed', async () => {
    const client = clientFor({ timeoutMs: 300, retry: { maxAttempts: 1 } });
    const errors: KsPayError[] = [];
    errors.push(await failureOf(client.transaction({ id: 'tx_Missing01' })));
    sandbox().tokens.expireAll();
    sandbox().faults.set({ forceError: { currencies: { status: 401, code: 9009, message: 'Token has expired.' } } });
    errors.push(await failureOf(client.currencies()));
    sandbox().faults.set({ hang: { transactions: 1 } });
    errors.push(await failureOf(client.transactions()));
    sandbox().faults.set({ dropAfterCommit: { initiate: 1 } });
    errors.push(await failureOf(client.initiateTransaction(initiateArgs())));
    errors.push(await failureOf(clientFor({ secretKey: `${sandbox().credentials.secretKey}x` }).currencies()));

    expect(errors.map((e) => e.reason)).toEqual(['rejected', 'rejected', 'timeout', 'network', 'rejected']);
    const tokens = sandbox().tokens.issued(); // every token the sandbox handed out
    expect(tokens.length).toBeGreaterThanOrEqual(4); // a login and a refresh
    for (const error of errors) expectNoSecrets(error, [sandbox().credentials.secretKey, ...tokens]);
  });
});

describe('answers the sandbox does not give (a stub server)', () => {
  const secretKey = 'sk_stub_Zq81Lm40Xv';
  const accessToken = 'at_stub_Rt55Kw19Pe';
  let reply: StubReply;
  let stub: Awaited<ReturnType<typeof startStub>>;
  let client: KsPayClient;
  beforeAll(async () => {
    const tokens: StubReply = { status: 201, body: { result: { accessToken, refreshToken: 'rt_stub_Hn27' } } };
    stub = await startStub((request) => (request.url?.startsWith('/auth/') ? tokens : reply));
    const credentials = { appId: 'ap_StubApp01', accessKey: 'ak_stub', secretKey };
    client = new KsPayClient({ baseUrl: stub.url, ...credentials, timeoutMs: 1000, retry: { maxAttempts: 1 } });
  });
  afterAll(() => stub.close());

  it('a server that echoes a secret or token in its message has them redacted', async () => {
    reply = { status: 400, body: { status: 400, code: 9005, message: `bad key ${secretKey} for ${accessToken}` } };
    const error = await failureOf(client.currencies());
    // The server's text is kept apart from the message, for logs only.
    expect(error).toMatchObject({
      message: 'KS Pay answered HTTP 400 with code 9005',
      upstreamMessage: 'bad key [redacted] for [redacted]',
      code: 9005,
    });
  });

  it('a 2xx without the signature is a bad response', async () => {
    reply = { status: 201, body: { status: 201, message: 'success', result: { pe_txnId: 'tx_StubTxn001' } } };
    const error = await failureOf(client.initiateTransaction(initiateArgs()));
    expect(error).toMatchObject({ reason: 'bad-response', endpoint: 'initiate', httpStatus: 201 });
  });

  it('a transaction without pe_txnId or id is a bad response', async () => {
    reply = { status: 200, body: { amount: 1, status: 'SUCCESS' } };
    const error = await failureOf(client.transaction({ id: 'tx_StubTxn001' }));
    expect(error).toMatchObject({ reason: 'bad-response', endpoint: 'transaction' });
  });

  it('a 2xx that is not JSON is a bad response', async () => {
    reply = { status: 200, raw: '<html>hello</html>' };
    const error = await failureOf(client.currencies());
    expect(error).toMatchObject({ reason: 'bad-response', endpoint: 'currencies', httpStatus: 200 });
  });

  it('an error body that is not JSON keeps the status and none of the body', async () => {
    reply = { status: 502, raw: '<html>proxy error: upstream said something</html>' };
    const error = await failureOf(client.currencies());
    expect(error).toMatchObject({ reason: 'server', httpStatus: 502, code: null });
    expect(error.message).not.toContain('proxy');
  });

  it('reads an id-only transaction, lower-case and unknown statuses, and a string amount', async () => {
    reply = { status: 200, body: { id: 'tx_StubTxn001', amount: '10.50', status: 'success' } };
    const transaction = await client.transaction({ id: 'tx_StubTxn001' });
    expect(transaction).toMatchObject({ id: 'tx_StubTxn001', amount: { text: '10.5' }, status: 'SUCCESS' });
    reply = { status: 200, body: { id: 'tx_StubTxn001', amount: 1, status: 'REFUNDED' } };
    expect((await client.transaction({ id: 'tx_StubTxn001' })).status).toBe('UNKNOWN');
  });

  it.each([
    { order_id: 'order_A', checkout_url: 'https://pay.example/a' },
    { providerOrderId: 'order_A', url: 'https://pay.example/a' },
  ])('reads the well-known order fields under their other names: %o', async (order) => {
    reply = { status: 200, body: { order } };
    const processed = await client.processTransaction({ signature: 'ab'.repeat(32) });
    expect(processed).toMatchObject({ providerOrderId: 'order_A', checkoutUrl: 'https://pay.example/a', amount: null });
  });
});

/** A JSON body, or `raw` text sent as HTML. */
type StubReply = { status: number; body?: unknown; raw?: string };

/** A one-handler HTTP server for answers the sandbox is too well-behaved to give. */
async function startStub(answer: (request: IncomingMessage) => StubReply) {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume().on('end', () => {
      const { status, body, raw } = answer(request);
      response.writeHead(status, { 'content-type': raw === undefined ? 'application/json' : 'text/html' });
      response.end(raw ?? JSON.stringify(body));
    });
  });
  const { url } = await listenOnLoopback(server);
  return { url, close: () => closeServer(server) };
}
