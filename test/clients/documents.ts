/**
 * A front end's own operations, written the way an app writes them: `__typename` only where
 * the app reads it, to narrow a result union (the caches add it everywhere else, and urql
 * leaves the one it adds out of its results). The urql tests, the trusted-documents runs
 * and the browser bundles use them; each client parses them with its own `gql`.
 */
export const CATALOG = /* GraphQL */ `
  query Catalog {
    currencies { id code name paymentMethods { id name isActive } }
  }
`;

export const INITIATE = /* GraphQL */ `
  mutation Initiate($input: InitiateTransactionInput!) {
    initiateTransaction(input: $input) {
      __typename
      ... on InitiateTransactionSuccess { signature transaction { id status amount referenceNumber } }
      ... on Error { code message }
      ... on ValidationError { field }
    }
  }
`;

export const PROCESS = /* GraphQL */ `
  mutation Process($signature: String!) {
    processTransaction(input: { signature: $signature }) {
      __typename
      ... on ProcessTransactionSuccess { checkoutUrl providerOrderId }
      ... on Error { code message }
    }
  }
`;

export const TRANSACTION = /* GraphQL */ `
  query Transaction($id: ID!) {
    transaction(id: $id) { id status amount providerPaymentId }
  }
`;

export const TRANSACTIONS = /* GraphQL */ `
  query Transactions($first: Int!, $after: String) {
    transactions(first: $first, after: $after) {
      edges { cursor node { id status referenceNumber } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const WATCH = /* GraphQL */ `
  subscription Watch($id: ID!) {
    transactionUpdated(id: $id) { id status providerPaymentId }
  }
`;

/** Every operation of the app, for its trusted-documents manifest. */
export const ALL_OPERATIONS = [CATALOG, INITIATE, PROCESS, TRANSACTION, TRANSACTIONS, WATCH];

/** The final statuses: a payment's stream completes after one of them. */
export const FINAL_STATUSES = ['SUCCESS', 'FAILED'];
