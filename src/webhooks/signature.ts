import { createHmac, timingSafeEqual } from 'node:crypto';

/** Cashfree's webhook signature: base64(HMAC-SHA256(client secret, `x-webhook-timestamp` + raw body)). */
export function webhookSignature(secret: string, timestamp: string, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(timestamp).update(rawBody).digest('base64');
}

/** Checks a delivery's signature over the raw bytes, in constant time. */
export function isSignedByCashfree(secret: string, timestamp: string | undefined, signature: string | undefined, rawBody: Buffer): boolean {
  if (timestamp === undefined || signature === undefined || timestamp === '' || signature === '') return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
