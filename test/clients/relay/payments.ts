/**
 * The Relay documents of test/clients/relay.test.ts, as a Relay app writes them: a refetchable
 * Transaction fragment (refetched through node(id:)), a @connection over `transactions`, and a
 * subscription. relay-compiler reads the graphql`` literals here (./relay.config.json) and writes
 * ./__generated__/; this module hands out those artifacts, as babel-plugin-relay would make each
 * literal do. Regenerate with `cd test/clients/relay && npx relay-compiler`.
 */

/** The tag relay-compiler looks for; at run time the literals are only text. */
const graphql = String.raw;

graphql`
  fragment payments_transaction on Transaction @refetchable(queryName: "paymentsTransactionRefetchQuery") {
    id
    status
    amount
    referenceNumber
    currency { id code }
    paymentMethod { id name }
  }
`;

graphql`
  query paymentsTransactionQuery($id: ID!) {
    transaction(id: $id) { ...payments_transaction }
  }
`;

graphql`
  fragment payments_transactions on Query
  @refetchable(queryName: "paymentsTransactionsPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 3 }, cursor: { type: "String" }) {
    transactions(first: $count, after: $cursor) @connection(key: "payments_transactions") {
      edges { node { id status } }
      pageInfo { endCursor hasNextPage }
    }
  }
`;

graphql`
  query paymentsTransactionsQuery($count: Int) {
    ...payments_transactions @arguments(count: $count)
  }
`;

graphql`
  subscription paymentsTransactionUpdatedSubscription($id: ID!) {
    transactionUpdated(id: $id) { ...payments_transaction }
  }
`;

export { default as TransactionFragment } from './__generated__/payments_transaction.graphql.js';
export { default as TransactionQuery } from './__generated__/paymentsTransactionQuery.graphql.js';
export { default as TransactionRefetchQuery } from './__generated__/paymentsTransactionRefetchQuery.graphql.js';
export { default as TransactionsFragment } from './__generated__/payments_transactions.graphql.js';
export { default as TransactionsQuery } from './__generated__/paymentsTransactionsQuery.graphql.js';
export { default as TransactionsPaginationQuery } from './__generated__/paymentsTransactionsPaginationQuery.graphql.js';
export { default as TransactionUpdatedSubscription } from './__generated__/paymentsTransactionUpdatedSubscription.graphql.js';
export type { payments_transaction$key as TransactionKey } from './__generated__/payments_transaction.graphql.js';
export type { paymentsTransactionQuery } from './__generated__/paymentsTransactionQuery.graphql.js';
export type { paymentsTransactionRefetchQuery } from './__generated__/paymentsTransactionRefetchQuery.graphql.js';
export type { payments_transactions$key as TransactionsKey } from './__generated__/payments_transactions.graphql.js';
export type { paymentsTransactionsQuery } from './__generated__/paymentsTransactionsQuery.graphql.js';
export type { paymentsTransactionsPaginationQuery } from './__generated__/paymentsTransactionsPaginationQuery.graphql.js';
export type { paymentsTransactionUpdatedSubscription } from './__generated__/paymentsTransactionUpdatedSubscription.graphql.js';
