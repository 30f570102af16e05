/**
 * GraphiQL's default tabs: the operations in examples/, in the order of a payment,
 * with variables ready to run against the built-in sandbox.
 */
import { readFileSync } from 'node:fs';

const EXAMPLES = new URL('../examples/', import.meta.url);

export interface ExampleIds {
  currencyId?: string;
  paymentMethodId?: string;
}

function example(file: string): string {
  return readFileSync(new URL(file, EXAMPLES), 'utf8');
}

export function graphiqlTabs(ids: ExampleIds = {}) {
  const reference = `order-${Date.now().toString(36)}`;
  const vars = (value: unknown) => JSON.stringify(value, null, 2);
  return [
    { query: example('catalog.graphql') },
    {
      query: example('initiate.graphql'),
      variables: vars({
        input: {
          currencyId: ids.currencyId ?? 'c_XXXXXXXXXX',
          paymentMethodId: ids.paymentMethodId ?? 'pm_XXXXXXXXX',
          amount: '345.67',
          referenceNumber: reference,
          redirectUrl: 'https://merchant.example/payment-return',
        },
      }),
    },
    { query: example('process.graphql'), variables: vars({ input: { signature: 'paste the signature from step 2' } }) },
    {
      query: example('verify.graphql'),
      variables: vars({ kspayId: 'tx_XXXXXXXXX', paymentStatus: 'success', providerPaymentId: null }),
    },
    { query: example('transactions.graphql'), variables: vars({ first: 10 }) },
  ];
}
