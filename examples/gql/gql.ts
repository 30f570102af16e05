/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Catalog {\n  currencies {\n    id\n    code\n    name\n    symbol\n    type\n    decimalPlaces\n    paymentMethods {\n      id\n      name\n      isActive\n    }\n  }\n}": typeof types.CatalogDocument,
    "mutation InitiatePayment($input: InitiateTransactionInput!) {\n  initiateTransaction(input: $input) {\n    __typename\n    ... on InitiateTransactionSuccess {\n      signature\n      transaction {\n        id\n        status\n        amount\n        currencyCode\n        referenceNumber\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on ValidationError {\n      field\n    }\n    ... on UpstreamRejectedError {\n      field\n      upstreamCode\n    }\n    ... on UpstreamUnavailableError {\n      retryable\n    }\n  }\n}": typeof types.InitiatePaymentDocument,
    "mutation ProcessPayment($input: ProcessTransactionInput!) {\n  processTransaction(input: $input) {\n    __typename\n    ... on ProcessTransactionSuccess {\n      providerOrderId\n      checkoutUrl\n      order\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on SignatureInvalidError {\n      reason\n    }\n  }\n}": typeof types.ProcessPaymentDocument,
    "query RecentTransactions($first: Int = 20, $after: String) {\n  transactions(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...TransactionDetails\n      }\n    }\n  }\n}": typeof types.RecentTransactionsDocument,
    "query Reconciliation($from: DateTime!, $to: DateTime!) {\n  reconciliation(from: $from, to: $to) {\n    from\n    to\n    totals {\n      currencyCode\n      status\n      count\n      amount\n    }\n    discrepancies {\n      kind\n      referenceNumber\n      transactionId\n      detail\n    }\n  }\n}": typeof types.ReconciliationDocument,
    "subscription TransactionUpdated($id: ID!) {\n  transactionUpdated(id: $id) {\n    id\n    status\n    providerOrderId\n    providerPaymentId\n    updatedAt\n  }\n}": typeof types.TransactionUpdatedDocument,
    "fragment TransactionDetails on Transaction {\n  id\n  referenceNumber\n  amount\n  status\n  currencyCode\n  currency {\n    code\n    symbol\n  }\n  paymentMethod {\n    name\n  }\n  providerOrderId\n  providerPaymentId\n  createdAt\n}": typeof types.TransactionDetailsFragmentDoc,
    "query Transaction($id: ID!) {\n  transaction(id: $id) {\n    ...TransactionDetails\n  }\n}": typeof types.TransactionDocument,
    "query VerifyPaymentReturn($kspayId: ID!, $paymentStatus: String!, $providerPaymentId: String) {\n  verifyPaymentReturn(\n    kspayId: $kspayId\n    paymentStatus: $paymentStatus\n    providerPaymentId: $providerPaymentId\n  ) {\n    verified\n    mismatch\n    claimedStatus\n    transaction {\n      id\n      status\n      amount\n      currencyCode\n      currency {\n        decimalPlaces\n      }\n      providerPaymentId\n    }\n  }\n}": typeof types.VerifyPaymentReturnDocument,
};
const documents: Documents = {
    "query Catalog {\n  currencies {\n    id\n    code\n    name\n    symbol\n    type\n    decimalPlaces\n    paymentMethods {\n      id\n      name\n      isActive\n    }\n  }\n}": types.CatalogDocument,
    "mutation InitiatePayment($input: InitiateTransactionInput!) {\n  initiateTransaction(input: $input) {\n    __typename\n    ... on InitiateTransactionSuccess {\n      signature\n      transaction {\n        id\n        status\n        amount\n        currencyCode\n        referenceNumber\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on ValidationError {\n      field\n    }\n    ... on UpstreamRejectedError {\n      field\n      upstreamCode\n    }\n    ... on UpstreamUnavailableError {\n      retryable\n    }\n  }\n}": types.InitiatePaymentDocument,
    "mutation ProcessPayment($input: ProcessTransactionInput!) {\n  processTransaction(input: $input) {\n    __typename\n    ... on ProcessTransactionSuccess {\n      providerOrderId\n      checkoutUrl\n      order\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on SignatureInvalidError {\n      reason\n    }\n  }\n}": types.ProcessPaymentDocument,
    "query RecentTransactions($first: Int = 20, $after: String) {\n  transactions(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...TransactionDetails\n      }\n    }\n  }\n}": types.RecentTransactionsDocument,
    "query Reconciliation($from: DateTime!, $to: DateTime!) {\n  reconciliation(from: $from, to: $to) {\n    from\n    to\n    totals {\n      currencyCode\n      status\n      count\n      amount\n    }\n    discrepancies {\n      kind\n      referenceNumber\n      transactionId\n      detail\n    }\n  }\n}": types.ReconciliationDocument,
    "subscription TransactionUpdated($id: ID!) {\n  transactionUpdated(id: $id) {\n    id\n    status\n    providerOrderId\n    providerPaymentId\n    updatedAt\n  }\n}": types.TransactionUpdatedDocument,
    "fragment TransactionDetails on Transaction {\n  id\n  referenceNumber\n  amount\n  status\n  currencyCode\n  currency {\n    code\n    symbol\n  }\n  paymentMethod {\n    name\n  }\n  providerOrderId\n  providerPaymentId\n  createdAt\n}": types.TransactionDetailsFragmentDoc,
    "query Transaction($id: ID!) {\n  transaction(id: $id) {\n    ...TransactionDetails\n  }\n}": types.TransactionDocument,
    "query VerifyPaymentReturn($kspayId: ID!, $paymentStatus: String!, $providerPaymentId: String) {\n  verifyPaymentReturn(\n    kspayId: $kspayId\n    paymentStatus: $paymentStatus\n    providerPaymentId: $providerPaymentId\n  ) {\n    verified\n    mismatch\n    claimedStatus\n    transaction {\n      id\n      status\n      amount\n      currencyCode\n      currency {\n        decimalPlaces\n      }\n      providerPaymentId\n    }\n  }\n}": types.VerifyPaymentReturnDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Catalog {\n  currencies {\n    id\n    code\n    name\n    symbol\n    type\n    decimalPlaces\n    paymentMethods {\n      id\n      name\n      isActive\n    }\n  }\n}"): (typeof documents)["query Catalog {\n  currencies {\n    id\n    code\n    name\n    symbol\n    type\n    decimalPlaces\n    paymentMethods {\n      id\n      name\n      isActive\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation InitiatePayment($input: InitiateTransactionInput!) {\n  initiateTransaction(input: $input) {\n    __typename\n    ... on InitiateTransactionSuccess {\n      signature\n      transaction {\n        id\n        status\n        amount\n        currencyCode\n        referenceNumber\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on ValidationError {\n      field\n    }\n    ... on UpstreamRejectedError {\n      field\n      upstreamCode\n    }\n    ... on UpstreamUnavailableError {\n      retryable\n    }\n  }\n}"): (typeof documents)["mutation InitiatePayment($input: InitiateTransactionInput!) {\n  initiateTransaction(input: $input) {\n    __typename\n    ... on InitiateTransactionSuccess {\n      signature\n      transaction {\n        id\n        status\n        amount\n        currencyCode\n        referenceNumber\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on ValidationError {\n      field\n    }\n    ... on UpstreamRejectedError {\n      field\n      upstreamCode\n    }\n    ... on UpstreamUnavailableError {\n      retryable\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ProcessPayment($input: ProcessTransactionInput!) {\n  processTransaction(input: $input) {\n    __typename\n    ... on ProcessTransactionSuccess {\n      providerOrderId\n      checkoutUrl\n      order\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on SignatureInvalidError {\n      reason\n    }\n  }\n}"): (typeof documents)["mutation ProcessPayment($input: ProcessTransactionInput!) {\n  processTransaction(input: $input) {\n    __typename\n    ... on ProcessTransactionSuccess {\n      providerOrderId\n      checkoutUrl\n      order\n    }\n    ... on Error {\n      code\n      message\n    }\n    ... on SignatureInvalidError {\n      reason\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query RecentTransactions($first: Int = 20, $after: String) {\n  transactions(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...TransactionDetails\n      }\n    }\n  }\n}"): (typeof documents)["query RecentTransactions($first: Int = 20, $after: String) {\n  transactions(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        ...TransactionDetails\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Reconciliation($from: DateTime!, $to: DateTime!) {\n  reconciliation(from: $from, to: $to) {\n    from\n    to\n    totals {\n      currencyCode\n      status\n      count\n      amount\n    }\n    discrepancies {\n      kind\n      referenceNumber\n      transactionId\n      detail\n    }\n  }\n}"): (typeof documents)["query Reconciliation($from: DateTime!, $to: DateTime!) {\n  reconciliation(from: $from, to: $to) {\n    from\n    to\n    totals {\n      currencyCode\n      status\n      count\n      amount\n    }\n    discrepancies {\n      kind\n      referenceNumber\n      transactionId\n      detail\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription TransactionUpdated($id: ID!) {\n  transactionUpdated(id: $id) {\n    id\n    status\n    providerOrderId\n    providerPaymentId\n    updatedAt\n  }\n}"): (typeof documents)["subscription TransactionUpdated($id: ID!) {\n  transactionUpdated(id: $id) {\n    id\n    status\n    providerOrderId\n    providerPaymentId\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment TransactionDetails on Transaction {\n  id\n  referenceNumber\n  amount\n  status\n  currencyCode\n  currency {\n    code\n    symbol\n  }\n  paymentMethod {\n    name\n  }\n  providerOrderId\n  providerPaymentId\n  createdAt\n}"): (typeof documents)["fragment TransactionDetails on Transaction {\n  id\n  referenceNumber\n  amount\n  status\n  currencyCode\n  currency {\n    code\n    symbol\n  }\n  paymentMethod {\n    name\n  }\n  providerOrderId\n  providerPaymentId\n  createdAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Transaction($id: ID!) {\n  transaction(id: $id) {\n    ...TransactionDetails\n  }\n}"): (typeof documents)["query Transaction($id: ID!) {\n  transaction(id: $id) {\n    ...TransactionDetails\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query VerifyPaymentReturn($kspayId: ID!, $paymentStatus: String!, $providerPaymentId: String) {\n  verifyPaymentReturn(\n    kspayId: $kspayId\n    paymentStatus: $paymentStatus\n    providerPaymentId: $providerPaymentId\n  ) {\n    verified\n    mismatch\n    claimedStatus\n    transaction {\n      id\n      status\n      amount\n      currencyCode\n      currency {\n        decimalPlaces\n      }\n      providerPaymentId\n    }\n  }\n}"): (typeof documents)["query VerifyPaymentReturn($kspayId: ID!, $paymentStatus: String!, $providerPaymentId: String) {\n  verifyPaymentReturn(\n    kspayId: $kspayId\n    paymentStatus: $paymentStatus\n    providerPaymentId: $providerPaymentId\n  ) {\n    verified\n    mismatch\n    claimedStatus\n    transaction {\n      id\n      status\n      amount\n      currencyCode\n      currency {\n        decimalPlaces\n      }\n      providerPaymentId\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;