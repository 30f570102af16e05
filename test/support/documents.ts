/**
 * The GraphQL documents the tests send, written once. Each selects every field a test may read
 * or a leak test may look for; a test that needs a narrower document writes it inline (its
 * point is the document). A client library's own documents stay in test/clients/documents.ts:
 * they are written the way a front end writes them (named, `__typename` only where read).
 */

/** The catalog: each currency with its payment methods. */
export const CATALOG = '{ currencies { id code paymentMethods { id isActive } } }';

/** Initiates a payment and selects every typed outcome. */
export const INITIATE = `mutation($input: InitiateTransactionInput!) {
  initiateTransaction(input: $input) {
    __typename
    ... on InitiateTransactionSuccess { signature transaction { id amount status referenceNumber redirectUrl } }
    ... on Error { code message }
    ... on ValidationError { field }
    ... on SignatureInvalidError { reason }
    ... on UpstreamUnavailableError { retryable retryAfterMs }
    ... on IdempotencyConflictError { referenceNumber }
  }
}`;
