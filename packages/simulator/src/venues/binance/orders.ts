import { toContracts } from './contracts';
import type { Decimal } from 'decimal.js';
import type { Instrument, LedgerOrder, PositionSide } from '../../contract';

/** Spot writes every quantity and price with eight decimals. */
export function spot8(value: Decimal): string {
  return value.toFixed(8);
}

const SPOT_ZERO = '0.00000000';

/** USDⓈ-M writes quantities and prices in the symbol's own precision. */
export function stepDecimals(step: Decimal): number {
  return step.decimalPlaces();
}

/** Binance order ids are JSON numbers (int64); the simulator's stay below 2^53. */
export function orderIdNumber(order: LedgerOrder): number {
  return Number(order.orderId);
}

export function positionSideWire(side: PositionSide | undefined): 'BOTH' | 'LONG' | 'SHORT' {
  if (side === 'long') return 'LONG';
  if (side === 'short') return 'SHORT';
  return 'BOTH';
}

function sideWire(order: LedgerOrder): 'BUY' | 'SELL' {
  return order.side === 'buy' ? 'BUY' : 'SELL';
}

const ORDER_STATUS = { filled: 'FILLED', rejected: 'REJECTED' } as const;

/**
 * `POST /api/v3/order` with `newOrderRespType=FULL` (what ccxt asks for): the order and its fills,
 * each fill with its commission. A market order fills whole at one price, so one fill.
 */
export function spotOrderFull(order: LedgerOrder, tradeId: number): Record<string, unknown> {
  return {
    symbol: order.symbol,
    orderId: orderIdNumber(order),
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    transactTime: order.time,
    price: SPOT_ZERO,
    origQty: spot8(order.quantity),
    executedQty: spot8(order.quantity),
    origQuoteOrderQty: SPOT_ZERO,
    cummulativeQuoteQty: spot8(order.cost),
    status: ORDER_STATUS[order.status],
    timeInForce: 'GTC',
    type: 'MARKET',
    side: sideWire(order),
    workingTime: order.time,
    fills: [
      {
        price: spot8(order.price),
        qty: spot8(order.quantity),
        commission: spot8(order.fee),
        commissionAsset: order.feeAsset,
        tradeId,
      },
    ],
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/** `POST /api/v3/order` with `newOrderRespType=RESULT`: the order without its fills. */
export function spotOrderResult(order: LedgerOrder): Record<string, unknown> {
  const { fills: _fills, ...rest } = spotOrderFull(order, 0);
  return rest;
}

/** `POST /api/v3/order` with `newOrderRespType=ACK`. */
export function spotOrderAck(order: LedgerOrder): Record<string, unknown> {
  return { symbol: order.symbol, orderId: orderIdNumber(order), orderListId: -1, clientOrderId: order.clientOrderId, transactTime: order.time };
}

/** `GET /api/v3/order`: no fills and no average price; ccxt derives the average from cost / filled. */
export function spotOrderQuery(order: LedgerOrder): Record<string, unknown> {
  const zero = SPOT_ZERO;
  return {
    symbol: order.symbol,
    orderId: orderIdNumber(order),
    orderListId: -1,
    clientOrderId: order.clientOrderId,
    price: zero,
    origQty: spot8(order.quantity),
    executedQty: spot8(order.quantity),
    cummulativeQuoteQty: spot8(order.cost),
    status: ORDER_STATUS[order.status],
    timeInForce: 'GTC',
    type: 'MARKET',
    side: sideWire(order),
    stopPrice: zero,
    icebergQty: zero,
    time: order.time,
    updateTime: order.time,
    isWorking: true,
    workingTime: order.time,
    origQuoteOrderQty: zero,
    selfTradePreventionMode: 'EXPIRE_MAKER',
  };
}

/**
 * A USDⓈ-M order as both `POST /fapi/v1/order` (`newOrderRespType=RESULT`) and `GET /fapi/v1/order`
 * answer it. Binance puts no commission on USDⓈ-M orders; it is on the trades (`/fapi/v1/userTrades`).
 */
export function futuresOrder(order: LedgerOrder, instrument: Instrument | undefined, withTime: boolean): Record<string, unknown> {
  const contracts = toContracts(instrument, order.quantity);
  const qtyDecimals = instrument ? stepDecimals(toContracts(instrument, instrument.stepSize)) : contracts.decimalPlaces();
  const quantity = contracts.toFixed(qtyDecimals);
  return {
    orderId: orderIdNumber(order),
    symbol: order.symbol,
    status: ORDER_STATUS[order.status],
    clientOrderId: order.clientOrderId,
    price: '0',
    avgPrice: order.price.toFixed(),
    origQty: quantity,
    executedQty: quantity,
    cumQty: quantity,
    cumQuote: order.cost.toFixed(),
    timeInForce: 'GTC',
    type: 'MARKET',
    reduceOnly: order.reduceOnly,
    closePosition: false,
    side: sideWire(order),
    positionSide: positionSideWire(order.positionSide),
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: 'MARKET',
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    ...(withTime ? { time: order.time } : {}),
    updateTime: order.time,
  };
}

/** One `GET /fapi/v1/userTrades` entry: the whole fill of a market order, with its commission. */
export function futuresTrade(order: LedgerOrder, tradeId: number): Record<string, unknown> {
  return {
    symbol: order.symbol,
    id: tradeId,
    orderId: orderIdNumber(order),
    side: sideWire(order),
    price: order.price.toFixed(),
    qty: order.quantity.toFixed(),
    realizedPnl: order.realisedPnl.toFixed(8),
    // USDⓈ-M charges its fees in the margin asset, so the fee asset names it.
    marginAsset: order.feeAsset,
    quoteQty: order.cost.toFixed(),
    commission: order.fee.toFixed(8),
    commissionAsset: order.feeAsset,
    time: order.time,
    positionSide: positionSideWire(order.positionSide),
    buyer: order.side === 'buy',
    maker: false,
  };
}

/** One `GET /api/v3/myTrades` entry. */
export function spotTrade(order: LedgerOrder, tradeId: number): Record<string, unknown> {
  return {
    symbol: order.symbol,
    id: tradeId,
    orderId: orderIdNumber(order),
    orderListId: -1,
    price: spot8(order.price),
    qty: spot8(order.quantity),
    quoteQty: spot8(order.cost),
    commission: spot8(order.fee),
    commissionAsset: order.feeAsset,
    time: order.time,
    isBuyer: order.side === 'buy',
    isMaker: false,
    isBestMatch: true,
  };
}

/** Trade ids follow the order id: one fill per market order, so the mapping is one to one. */
export function tradeIdOf(order: LedgerOrder): number {
  return Number(order.orderId) + 1;
}
