import { createHash, randomBytes } from 'node:crypto';

import { InvalidOrderError } from '@xport/core';
import type { OrderOptions } from '@xport/core';

import type { ClientOrderIdRules } from './venue-profile';

/** Ids xport generates start with `xp` (random) or `xk` (derived from an idempotency key). */
const ID_BODY_LENGTH = 30;

/**
 * The client order id of one intended order, fixed before the first attempt: the caller's own (checked
 * against the venue's rules), one derived from the caller's idempotency key (the same key gives the
 * same id after a restart), or a fresh random one. 32 characters of `[a-z0-9]` fit all three venues.
 */
export function resolveClientOrderId(options: OrderOptions | undefined, rules: ClientOrderIdRules, exchange: string): string {
  const given = options?.clientOrderId;
  if (given !== undefined) {
    if (given.length > rules.maxLength || !rules.pattern.test(given)) {
      throw new InvalidOrderError(`clientOrderId ${JSON.stringify(given)} does not fit ${exchange}'s rules: at most ${rules.maxLength} characters matching ${String(rules.pattern)}`, {
        exchange,
        field: 'options.clientOrderId',
        expected: `at most ${rules.maxLength} characters matching ${String(rules.pattern)}`,
      });
    }
    return given;
  }
  const key = options?.idempotencyKey;
  if (key !== undefined) return `xk${createHash('sha256').update(key).digest('hex').slice(0, ID_BODY_LENGTH)}`;
  return `xp${randomBytes(ID_BODY_LENGTH / 2).toString('hex')}`;
}
