/**
 * Webhook signatures, the way merchants know them from Stripe: the header
 * `KSPay-Gateway-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * Receivers recompute the HMAC over the raw body with WEBHOOK_SECRET, compare in constant
 * time, and refuse a timestamp older than their tolerance (replays). Verification lives in
 * examples/web/webhook-receiver.ts, ready to copy.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'kspay-gateway-signature';
export const EVENT_ID_HEADER = 'kspay-gateway-event-id';

export function signatureHeader(secret: string, body: string, timestampSec: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex');
  return `t=${timestampSec},v1=${digest}`;
}
