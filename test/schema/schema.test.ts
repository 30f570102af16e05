/** The committed SDL and the typed client stay in step with the Pothos schema. */
import { readFileSync } from 'node:fs';
import { buildSchema, isInterfaceType, printSchema, validate, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import persisted from '../../examples/gql/persisted-documents.json' with { type: 'json' };

describe('schema/schema.graphql', () => {
  it('is exactly what the Pothos schema prints (run `npm run codegen` when this fails)', () => {
    const committed = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSchema(schema));
  });

  it('keeps the public names of the GraphQL contract', () => {
    const sdl = buildSchema(printSchema(schema));
    const query = sdl.getQueryType()!.getFields();
    expect(Object.keys(query).sort()).toEqual([
      'currencies',
      'currency',
      'node',
      'nodes',
      'paymentMethods',
      'transaction',
      'transactions',
      'transactionsNeedingAttention',
      'verifyPaymentReturn',
      'webhookDeliveries',
    ]);
    expect(Object.keys(sdl.getMutationType()!.getFields()).sort()).toEqual(['initiateTransaction', 'processTransaction', 'redeliverWebhook']);
    expect(query.transactions!.args.map((a) => a.name).sort()).toEqual(['after', 'first', 'from', 'to']);
    expect(String(query.node!.type)).toBe('Node');
    expect(String(query.nodes!.type)).toBe('[Node]!');
    const node = sdl.getType('Node');
    expect(
      isInterfaceType(node) &&
        sdl
          .getPossibleTypes(node)
          .map((t) => t.name)
          .sort(),
    ).toEqual(['Currency', 'PaymentMethod', 'Transaction']);
    for (const name of [
      'Decimal',
      'DateTime',
      'JSON',
      'Error',
      'Currency',
      'CurrencyType',
      'PaymentMethod',
      'Transaction',
      'TransactionStatus',
      'TransactionConnection',
      'InitiateTransactionInput',
      'InitiateTransactionResult',
      'InitiateTransactionSuccess',
      'ProcessTransactionInput',
      'ProcessTransactionResult',
      'ProcessTransactionSuccess',
      'PaymentReturnVerification',
    ]) {
      expect(sdl.getType(name), name).toBeTruthy();
    }
  });

  it('validates every persisted example operation', () => {
    for (const [hash, document] of Object.entries(persisted as Record<string, string>)) {
      expect(validate(schema, parse(document)), hash).toEqual([]);
    }
  });
});
