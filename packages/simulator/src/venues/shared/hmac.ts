import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of `payload` under `secret`, lower-case hex (Binance, Bybit). */
export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** HMAC-SHA256 of `payload` under `secret`, base64 (Bitget). */
export function hmacSha256Base64(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64');
}

/**
 * Compares a received signature with the expected one in constant time, so a client cannot learn
 * the expected signature byte by byte from response times.
 */
export function signaturesMatch(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
