import { Decimal, OrderResult } from '@xport/core';

import type { FollowerResult } from './copy-signal';

/**
 * A `FollowerResult` read back from its JSON (a worker's outcome in Redis): quantities as `Decimal`,
 * the order as an `OrderResult`. `fallback` fills what a bare record lacks (a job that ran out of tries
 * records only the follower, the status and the reason).
 */
export function followerResultFromJson(text: string, fallback: Pick<FollowerResult, 'followerId' | 'exchange' | 'clientOrderKey' | 'clientOrderId'>): FollowerResult {
  const value = JSON.parse(text) as Record<string, unknown>;
  const quantity = typeof value.quantity === 'string' ? new Decimal(value.quantity) : undefined;
  const order = value.order === undefined ? undefined : OrderResult.fromJSON(value.order);
  return { ...fallback, ...(value as Partial<FollowerResult>), quantity, order } as FollowerResult;
}
