/**
 * Webhook signatures by the Standard Webhooks specification (standardwebhooks.com), so
 * receivers verify with a maintained library (npm `standardwebhooks`, and its ports):
 *
 *   webhook-id: <event id>            (the same for every retry: receivers dedupe on it)
 *   webhook-timestamp: <unix seconds>
 *   webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>"> [v1,<…> …]
 *
 * One signature per configured secret (WEBHOOK_SECRET, comma-separated): during a rotation
 * the new and the old secret both sign, so a receiver holding either one accepts the event.
 * A `whsec_<base64>` secret signs with the bytes the base64 decodes to (the standard's
 * form); any other secret signs with its own characters (the library's `format: 'raw'`).
 *
 * Deprecated, sent for one release: `KSPay-Gateway-Signature: t=<t>,v1=<hex>[,v1=<hex>]`,
 * the hex HMAC-SHA256 of "<t>.<body>" keyed by each whole secret string, as before.
 */
import { createHmac } from 'node:crypto';
/** @deprecated The pre-standard header; removed in the next release. */
const LEGACY_SIGNATURE_HEADER = 'kspay-gateway-signature';
/** @deprecated Same value as `webhook-id`; removed with the legacy signature. */
const LEGACY_EVENT_ID_HEADER = 'kspay-gateway-event-id';
const STANDARD_PREFIX = 'whsec_';
/** The HMAC key of one configured secret under the standard. */
export function standardKey(secret) {
    return secret.startsWith(STANDARD_PREFIX) ? Buffer.from(secret.slice(STANDARD_PREFIX.length), 'base64') : Buffer.from(secret, 'latin1');
}
/** Whether a `whsec_` secret is well-formed base64 of 24 to 64 bytes (what the standard asks of secrets). */
export function isValidStandardSecret(secret) {
    const encoded = secret.slice(STANDARD_PREFIX.length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
        return false;
    const bytes = Buffer.from(encoded, 'base64').length;
    return bytes >= 24 && bytes <= 64;
}
/** Every header that signs one delivery attempt of `body`. */
export function signedHeaders(secrets, eventId, body, timestampSec) {
    const signed = `${eventId}.${timestampSec}.${body}`;
    const standard = secrets.map((secret) => `v1,${createHmac('sha256', standardKey(secret)).update(signed).digest('base64')}`);
    const legacy = secrets.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`);
    return {
        'webhook-id': eventId,
        'webhook-timestamp': String(timestampSec),
        'webhook-signature': standard.join(' '),
        [LEGACY_SIGNATURE_HEADER]: `t=${timestampSec},${legacy.join(',')}`,
        [LEGACY_EVENT_ID_HEADER]: eventId,
    };
}
