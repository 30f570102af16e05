/** The committed SDL and the typed client stay in step with the Pothos schema. */
import { readFileSync } from 'node:fs';
import { buildSchema, isInterfaceType, printSchema, validate, parse, type GraphQLEnumType, type GraphQLObjectType } from 'graphql';
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
      'reconciliation',
      'transaction',
      'transactions',
      'transactionsNeedingAttention',
      'verifyPaymentReturn',
      'webhookDeliveries',
    ]);
    expect(Object.keys(sdl.getMutationType()!.getFields()).sort()).toEqual(['initiateTransaction', 'processTransaction', 'redeliverWebhook']);
    expect(query.transactions!.args.map((a) => a.name).sort()).toEqual(['after', 'first', 'from', 'to']);
    expect(query.reconciliation!.args.map((a) => `${a.name}: ${a.type}`)).toEqual(['from: DateTime!', 'to: DateTime!']);
    expect(String(query.reconciliation!.type)).toBe('ReconciliationReport!');
    const fieldsOf = (name: string) => Object.entries((sdl.getType(name) as GraphQLObjectType).getFields()).map(([field, { type }]) => `${field}: ${type}`);
    expect(fieldsOf('ReconciliationReport')).toEqual(['discrepancies: [Discrepancy!]!', 'from: DateTime!', 'to: DateTime!', 'totals: [ReconciliationTotal!]!']);
    expect(fieldsOf('ReconciliationTotal')).toEqual(['amount: Decimal!', 'count: Int!', 'currencyCode: String!', 'status: TransactionStatus!']);
    expect(fieldsOf('Discrepancy')).toEqual(['detail: String!', 'kind: DiscrepancyKind!', 'referenceNumber: String', 'transactionId: ID']);
    expect((sdl.getType('DiscrepancyKind') as GraphQLEnumType).getValues().map((v) => v.name)).toEqual([
      'AMOUNT_MISMATCH',
      'CURRENCY_MISMATCH',
      'MISSING_UPSTREAM',
      'STUCK',
      'UNKNOWN_TO_GATEWAY',
      'UNNOTIFIED',
    ]);
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
