/**
 * What "the schema leaked" means for the error-message tests (test/abuse/suggestions*.test.ts):
 * every name of the schema, the probes that ask graphql-js for them, and the names a
 * message gives away that the probe did not contain.
 */
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from 'graphql';
import { schema } from '../../src/schema/index.js';

/** Every name of this schema: types, fields, arguments, input fields, enum values (not the spec's built-ins). */
const SCHEMA_NAMES = new Set<string>();
/** Names a message may not even mention in passing: custom scalars (they open their own errors) and enum values. */
const BARE_NAMES = new Set<string>();
for (const type of Object.values(schema.getTypeMap())) {
  if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
  SCHEMA_NAMES.add(type.name);
  if (isScalarType(type)) BARE_NAMES.add(type.name);
  if (isObjectType(type) || isInterfaceType(type)) {
    for (const field of Object.values(type.getFields())) {
      SCHEMA_NAMES.add(field.name);
      for (const arg of field.args) SCHEMA_NAMES.add(arg.name);
    }
  }
  if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) SCHEMA_NAMES.add(field.name);
  if (isEnumType(type)) {
    for (const value of type.getValues()) {
      SCHEMA_NAMES.add(value.name);
      BARE_NAMES.add(value.name);
    }
  }
}

const WORD = /[_A-Za-z][_0-9A-Za-z]*/g;

/**
 * Schema names a message refers to that the probe did not contain: inside double quotes
 * (graphql-js quotes every name it mentions), in `Type.field` coordinates, and bare
 * custom scalar names or enum values anywhere.
 */
export function leakedNames(message: string, probe: string): string[] {
  const written = new Set(probe.match(WORD));
  const quoted = (message.match(/"[^"]*"/g) ?? []).flatMap((q) => q.match(WORD) ?? []);
  const coordinates = (message.match(/\b[_A-Za-z]\w*\.[_A-Za-z]\w*\b/g) ?? []).flatMap((c) => c.split('.'));
  const bare = (message.match(WORD) ?? []).filter((word) => BARE_NAMES.has(word));
  return [...new Set([...quoted, ...coordinates, ...bare])].filter((name) => SCHEMA_NAMES.has(name) && !written.has(name));
}

export const VALID_INPUT = {
  currencyId: 'c_DemoINR001',
  paymentMethodId: 'pm_InrNetBnk',
  amount: '1',
  referenceNumber: 'r-1',
  redirectUrl: 'https://shop.example/r',
};
/** A probe, not ./documents.ts's INITIATE: the fewest names, so a message that names more has leaked them. */
export const INITIATE = 'mutation($i: InitiateTransactionInput!) { initiateTransaction(input: $i) { __typename } }';

/** Wrong in every way graphql-js knows, each one a question a schema-mapping tool would ask. */
export const PROBES: [query: string, variables?: Record<string, unknown>][] = [
  ['query($s: TransactionStatus = SUCES) { transactions { totalCount } }'],
  [INITIATE, { i: { ...VALID_INPUT, currencyId: undefined, currencyID: 'x' } }],
  [INITIATE, { i: {} }],
  [INITIATE, { i: 5 }],
  [INITIATE, { i: { ...VALID_INPUT, amount: 1.5 } }],
  [INITIATE, { i: { ...VALID_INPUT, referenceNumber: ['a'] } }],
  ['mutation { initiateTransaction(input: { currencyID: "c_x" }) { __typename } }'],
  ['mutation { initiateTransaction(input: null) { __typename } }'],
  ['mutation { initiateTransaction(input: "x") { __typename } }'],
  ['mutation { processTransaction(input: { signature: "abcdefghijklmnopq" }) { message } }'],
  ['mutation { processTransaction(input: { signature: "abcdefghijklmnopq" }) { ... on ValidationError { fiel } } }'],
  ['{ currencie { id } }'],
  ['{ currencies { idd } }'],
  ['{ currencies { type { x } } }'],
  ['{ currencies { paymentMethods } }'],
  ['{ currencies { ... on Transaction { id } } }'],
  ['{ currencies { ...F } } fragment F on Transaction { id }'],
  ['{ currencies { ... on Strin { id } } }'],
  ['{ transaction(id: "tx_Abcdefghi") { stat } }'],
  ['{ transactions(firts: 3) { totalCount } }'],
  ['{ transactions(first: SUCCES) { totalCount } }'],
  ['{ transactions(from: "yesterday") { totalCount } }'],
  ['{ transactions }'],
  ['{ paymentMethods { id } }'],
  ['{ paymentMethods(currencyId: null) { id } }'],
  ['{ verifyPaymentReturn(kspayId: "tx_Abcdefghi") { verified } }'],
  ['query($x: Strin) { transactions(after: $x) { totalCount } }'],
  ['query($x: String) { transaction(id: $x) { id } }', { x: 'tx_Abcdefghi' }],
  ['query($x: TransactionStatu) { transactions { totalCount } }'],
  ['query($x: DateTime) { transactions(from: $x) { totalCount } }', { x: 'yesterday' }],
  ['query($x: Int) { transactions(first: $x) { totalCount } }', { x: 'many' }],
  ['{ currencies { id @include(iff: true) } }'],
  ['{ currencies { id } currencies: transactions { totalCount } }'],
];
