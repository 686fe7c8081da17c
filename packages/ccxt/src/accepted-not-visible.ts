import { NetworkError } from '@xport/core';

const acceptedErrors = new WeakSet<object>();

/**
 * The error for an order the venue acknowledged with an order id whose fill a lookup by client
 * order id does not show yet, or could not read (venues that answer with ids only: Bybit,
 * Bitget; `cause` is the failed read). The order was
 * placed; the placement state machine reads this as the verdict `accepted`, so it looks the order
 * up again but never sends it a second time — Binance and Bitget free a filled order's client id,
 * so a second send would be a second order.
 */
export function acceptedButNotVisible(exchange: string, operation: string, clientOrderId: string, cause?: unknown): NetworkError {
  const error = new NetworkError(`${exchange}: order ${clientOrderId} accepted but not yet visible`, { exchange, operation, cause });
  acceptedErrors.add(error);
  return error;
}

export function isAcceptedButNotVisible(error: unknown): boolean {
  return typeof error === 'object' && error !== null && acceptedErrors.has(error);
}
