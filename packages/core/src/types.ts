/**
 * An exchange's name as its venue package's descriptor gives it (`binance`). Core lists no venues:
 * which names exist depends on the packages an app registers, so the type is open here and narrowed
 * where the registrations are known (`ExchangeDescriptor<'binance'>`, `ExchangeFactory<Name>`).
 */
export type ExchangeName = string;

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
