/** The exchanges xport ships adapters for; other names are allowed for third-party adapters. */
export type ExchangeName = 'binance' | 'bybit' | 'bitget' | (string & {});

/** `spot`, or `futures`: a USDT-margined perpetual. */
export type MarketType = 'spot' | 'futures';

export type OrderSide = 'buy' | 'sell';

/** The side of a futures position. One-way mode still has a direction: long or short. */
export type PositionSide = 'long' | 'short';

export type PositionMode = 'oneway' | 'hedge';

/**
 * `new`: accepted, nothing filled; `partially_filled`: some filled, still working; `filled`: done;
 * `canceled` / `expired` / `rejected`: done, possibly with a partial fill.
 */
export type OrderStatus = 'new' | 'partially_filled' | 'filled' | 'canceled' | 'expired' | 'rejected';

export const MARKET_TYPES: readonly MarketType[] = ['spot', 'futures'];
export const ORDER_SIDES: readonly OrderSide[] = ['buy', 'sell'];
export const POSITION_SIDES: readonly PositionSide[] = ['long', 'short'];
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'new',
  'partially_filled',
  'filled',
  'canceled',
  'expired',
  'rejected',
];
