import { createHash } from 'node:crypto';

/**
 * The idempotency key of one (signal, follower) pair: `${signalId}:${followerId}`. The client order
 * id, the journal entry and a queued follower job (`copy-trader serve`) are all derived from it.
 */
export function idempotencyKeyFor(signalId: string, followerId: string): string {
  return `${signalId}:${followerId}`;
}

/**
 * The client order id of one (signal, follower) pair: `x` and 31 lower-case hex digits of the
 * SHA-256 of `${signalId}:${followerId}`. 32 characters of [0-9a-z] fit every venue's rule (Binance
 * and Bybit take up to 36, Bitget up to 32), and the same pair always gets the same id, so a re-run
 * finds its journal entry (and the venue's order) under it before anything is sized or sent.
 */
export function clientOrderIdFor(idempotencyKey: string): string {
  return `x${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 31)}`;
}
