/**
 * The GraphQL documents the tests send, written once. Each selects every field a test may read
 * (a leak test may look for any of them); variables are named after the field's argument.
 * Documents stay inline where the document is the test's point: a probe, a size, a cost, a
 * cache key, a field a lookup must not resolve. A client library's own documents stay in
 * test/clients/documents.ts: written the way a front end writes them (named, `__typename`
 * only where read), parsed by each client's own `gql`.
 */

/** The catalog: each currency with its payment methods. */
export const CATALOG = '{ currencies { id code name paymentMethods { id name isActive } } }';

/** The fields of every typed error a payment mutation can answer. */
const ERROR_FIELDS = `... on Error { code message }
    ... on ValidationError { field upstreamCode }
    ... on SignatureInvalidError { reason upstreamCode }
    ... on UpstreamUnavailableError { retryable retryAfterMs upstreamCode }
    ... on UpstreamRejectedError { upstreamCode field }
    ... on NotFoundError { upstreamCode }`;

/** Initiates a payment (`{ input }`) and selects every typed outcome. */
export const INITIATE = `mutation($input: InitiateTransactionInput!) {
  initiateTransaction(input: $input) {
    __typename
    ... on InitiateTransactionSuccess { signature transaction { id amount status referenceNumber redirectUrl } }
    ${ERROR_FIELDS}
    ... on IdempotencyConflictError { referenceNumber }
  }
}`;

/** Processes an initiated payment (`{ input: { signature } }`) and selects every typed outcome. */
export const PROCESS = `mutation($input: ProcessTransactionInput!) {
  processTransaction(input: $input) {
    __typename
    ... on ProcessTransactionSuccess { checkoutUrl providerOrderId }
    ${ERROR_FIELDS}
  }
}`;

/** The customer's return, checked (`{ kspayId, paymentStatus }`). */
export const VERIFY = 'query($kspayId: ID!, $paymentStatus: String!) { verifyPaymentReturn(kspayId: $kspayId, paymentStatus: $paymentStatus) { verified } }';

/** One transaction by id (`{ id }`). */
export const LOOKUP = 'query($id: ID!) { transaction(id: $id) { id status amount } }';

/** A transaction through the Node interface (`{ id }`), and several (`{ ids }`). */
export const NODE = 'query($id: ID!) { node(id: $id) { id ... on Transaction { status amount } } }';
export const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Transaction { status } } }';

/** A payment's live updates (`{ id }`). */
export const WATCH = 'subscription Watch($id: ID!) { transactionUpdated(id: $id) { id status } }';
