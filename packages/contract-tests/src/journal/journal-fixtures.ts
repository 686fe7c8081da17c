import { Decimal, journalOrderRequest } from '@xport/core';
import type { JournalIntent, JournalKey, JournalOrderRequest, OrderResultJSON, PlacedOutcome } from '@xport/core';

/** The requests the suite claims keys for: one per port operation. */
export const CONTRACT_REQUESTS = {
  spotBuy: journalOrderRequest({ operation: 'executeSpotBuy', symbol: 'BTCUSDT', quantity: new Decimal('0.01') }),
  spotSell: journalOrderRequest({ operation: 'executeSpotSell', symbol: 'BTCUSDT', quantity: new Decimal('0.01') }),
  futuresLong: journalOrderRequest({ operation: 'executeFuturesLong', symbol: 'ETHUSDT', quantity: new Decimal('0.5'), leverage: 5 }),
  futuresShort: journalOrderRequest({ operation: 'executeFuturesShort', symbol: 'ETHUSDT', quantity: new Decimal('0.5'), leverage: 5 }),
  closeLong: journalOrderRequest({ operation: 'closeFuturesPosition', symbol: 'ETHUSDT', positionSide: 'long' }),
} as const satisfies Record<string, JournalOrderRequest>;

/** A key on `binance` for `follower-1` (or the overrides), client order id `xp-<id>`. */
export function contractKey(id: string | number, overrides: Partial<JournalKey> = {}): JournalKey {
  return { exchange: 'binance', account: 'follower-1', clientOrderId: `xp-${String(id)}`, ...overrides };
}

export function contractIntent(id: string | number, request: JournalOrderRequest = CONTRACT_REQUESTS.spotBuy, key: Partial<JournalKey> = {}): JournalIntent {
  return { key: contractKey(id, key), request };
}

/** A filled order under `intent`'s key that matches its request, as `OrderResult.toJSON()` writes it. */
export function placedOrderFor(intent: JournalIntent, timestamp = 1_700_000_000_000): OrderResultJSON {
  const { key, request } = intent;
  const quantity = request.quantity ?? '0.5';
  return {
    exchange: key.exchange,
    orderId: `venue-${key.clientOrderId}`,
    clientOrderId: key.clientOrderId,
    symbol: request.symbol,
    marketType: request.market,
    side: request.side,
    positionSide: request.positionSide,
    reduceOnly: request.reduceOnly,
    status: 'filled',
    requestedQuantity: quantity,
    filledQuantity: quantity,
    averagePrice: '65000.5',
    fee: { amount: '0.65', asset: 'USDT' },
    timestamp,
  };
}

export function placedOutcomeFor(intent: JournalIntent): PlacedOutcome {
  return { state: 'placed', order: placedOrderFor(intent) };
}
