/**
 * Delivery signatures, Standard Webhooks style (the scheme MLflow's webhooks use too): the
 * signature is `v1,` + base64(HMAC-SHA256(secret, `${deliveryId}.${timestamp}.${body}`)), sent in
 * X-Gyre-Signature with the delivery id and the Unix timestamp (seconds) in their own headers.
 * Signing the timestamp lets a receiver refuse replays older than its tolerance.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HEADER_SIGNATURE = 'x-gyre-signature';
export const HEADER_DELIVERY_ID = 'x-gyre-delivery-id';
export const HEADER_TIMESTAMP = 'x-gyre-timestamp';
export const HEADER_EVENT = 'x-gyre-event';

export function signDelivery(secret: string, deliveryId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${deliveryId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export interface VerifyInput {
  secret: string;
  deliveryId: string;
  timestampSeconds: number;
  body: string;
  signature: string;
  /** Refuse deliveries signed longer ago than this (default 300 s); `nowSeconds` for tests. */
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/** For receivers (and Gyre's tests): true when the signature is valid and fresh. */
export function verifyDelivery(input: VerifyInput): boolean {
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - input.timestampSeconds) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signDelivery(input.secret, input.deliveryId, input.timestampSeconds, input.body));
  // A header may carry several space-separated signatures (secret rotation); any valid one will do.
  return input.signature.split(' ').some((candidate) => {
    const got = Buffer.from(candidate);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
