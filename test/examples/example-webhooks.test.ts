/**
 * The example's webhook receiver as a newcomer meets it: docs/webhooks.md shows its
 * verifyWebhook as it is; run alone it either receives (and prints each delivery) or says what
 * it needs and exits 1; `npm run example` prints each delivery on the console, and the example
 * app answers /favicon.ico.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startExample } from '../../examples/web/server.js';
import { exampleIdsOf } from '../../src/sandbox/fixtures.js';
import { postGraphQL } from '../support/graphql-http.js';
import { runScript, type ScriptProcess } from '../support/processes.js';

const RECEIVER = 'examples/web/webhook-receiver.ts';
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const SPAWN_TIMEOUT_MS = 120_000;
const children: ScriptProcess[] = [];

function run(script: string, env: Record<string, string>, args: string[] = []): ScriptProcess {
  const running = runScript(script, env, args);
  children.push(running);
  return running;
}

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.stop('SIGKILL')));
});

describe("docs/webhooks.md's verifyWebhook", () => {
  it("is the example receiver's, character for character", () => {
    const source = read(RECEIVER);
    const region = /\/\/ #region verifyWebhook\n([\s\S]*?)\/\/ #endregion verifyWebhook/.exec(source)?.[1];
    expect(region).toContain('export function verifyWebhook(');
    const blocks = [...read('docs/webhooks.md').matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.some((block) => block.includes(region!))).toBe(true);
  });
});

describe('examples/web/webhook-receiver.ts run alone', () => {
  it(
    'without WEBHOOK_SECRET: says what it needs and exits 1',
    async () => {
      const alone = run(RECEIVER, {});
      const { code, stderr } = await alone.exited;
      expect(code).toBe(1);
      expect(stderr).toMatch(/WEBHOOK_SECRET=whsec_\.\.\. npx tsx examples\/web\/webhook-receiver\.ts/);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'with WEBHOOK_SECRET: receives a signed delivery and prints it',
    async () => {
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      // Port 0: a free one (4100, the default, may be taken on a shared machine).
      const onFreePort = run(RECEIVER, { WEBHOOK_SECRET: secret }, ['0']);
      const [, url] = await onFreePort.waitFor(/^Webhook receiver at (\S+):/m);
      const body = JSON.stringify({
        id: 'evt_alone_1',
        type: 'transaction.succeeded',
        createdAt: new Date().toISOString(),
        data: { transaction: { id: 'tx_Alone0001', referenceNumber: 'order-alone', status: 'SUCCESS', amount: '12.50', currencyCode: 'USD' } },
      });
      const signature = new Webhook(secret).sign('evt_alone_1', new Date(), body);
      const headers = {
        'content-type': 'application/json',
        'webhook-id': 'evt_alone_1',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': signature,
      };
      expect((await fetch(url!, { method: 'POST', headers, body })).status).toBe(200);
      await onFreePort.waitFor(/^webhook transaction\.succeeded tx_Alone0001 order order-alone 12\.50 USD$/m);
      expect((await fetch(url!, { method: 'POST', headers: { ...headers, 'webhook-signature': 'v1,Zm9yZ2Vk' }, body })).status).toBe(400);
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('npm run example', () => {
  it(
    'prints each webhook delivery on the console, and answers /favicon.ico',
    async () => {
      const lines: string[] = [];
      const example = await startExample({ port: 0, watch: false, logLevel: 'silent', viteLogLevel: 'silent', onWebhook: (line) => lines.push(line) });
      try {
        const favicon = await fetch(`${example.url}favicon.ico`);
        expect(favicon.status).toBe(200);
        expect(favicon.headers.get('content-type')).toBe('image/svg+xml');

        const { currencyId, paymentMethodId } = exampleIdsOf();
        const reference = `example-webhook-${Date.now()}`;
        const input = { currencyId, paymentMethodId, amount: '12.50', referenceNumber: reference, redirectUrl: `${example.url}` };
        const initiated = await postGraphQL<any>(
          `${example.gatewayUrl}/graphql`,
          'mutation($input: InitiateTransactionInput!) { initiateTransaction(input: $input) { __typename } }',
          { input },
        );
        expect(initiated.data.initiateTransaction.__typename).toBe('InitiateTransactionSuccess');
        await expect
          .poll(() => lines.find((line) => line.includes(reference)), { timeout: 30_000 })
          .toMatch(new RegExp(`^webhook transaction\\.initiated tx_\\w+ order ${reference} 12\\.5 `));
      } finally {
        await example.close();
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});
