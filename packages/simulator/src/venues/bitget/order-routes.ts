import type { Decimal } from 'decimal.js';
import { isOpen } from '../../client-order-ids';
import { EngineError, type Account, type EngineApi, type Instrument, type PlaceOrderRequest, type PositionSide, type Side, type VenueContext } from '../../contract';
import { BitgetRefusal, BITGET_CODES, refusal } from './errors';
import { futuresOrderRow, spotOrderRow } from './format';
import {
  accountOf,
  checkScale,
  clientOidParam,
  decimalParam,
  enumParam,
  futuresSymbol,
  optionalParam,
  orderIdParam,
  paramsOf,
  requiredParam,
  requireInstrument,
  type ParamSource,
} from './params';
import { BITGET_ORDER_LIST_ROUTES } from './order-lists';
import { signedRoute, type BitgetRoute } from './route';
import { formatDecimal } from '../shared/decimal';

/** The simulator fills market orders only; a limit order is refused rather than faked. */
function marketOrderType(params: ParamSource): void {
  if (enumParam(params, 'orderType', ['market', 'limit']) !== 'market') {
    throw new BitgetRefusal('40017', 'Parameter verification failed orderType: the simulator fills market orders only');
  }
}

/** Bitget fills in a numeric clientOid when the client sends none. */
function clientOidOrGenerated(engine: EngineApi, params: ParamSource): string {
  return clientOidParam(params, engine.rules.bitgetClientOidFormat) ?? engine.nextId();
}

function belowMinimum(instrument: Instrument): BitgetRefusal {
  return new BitgetRefusal('45110', `less than the minimum amount ${formatDecimal(instrument.minNotional)} USDT`);
}

/**
 * A spot market buy's `size` is the quote amount to spend (ccxt sends amount × price); it buys as
 * many whole steps of the base as that amount pays for at the mark price.
 */
function spotQuantity(engine: EngineApi, instrument: Instrument, side: Side, size: Decimal): Decimal {
  if (side === 'sell') {
    checkScale(size, instrument.stepSize);
    return size;
  }
  if (size.lt(instrument.minNotional)) throw belowMinimum(instrument);
  const price = engine.markPrice('bitget', instrument.symbol);
  const quantity = size.div(price).div(instrument.stepSize).floor().times(instrument.stepSize);
  if (quantity.isZero()) throw belowMinimum(instrument);
  return quantity;
}

/**
 * Bitget's futures order in engine terms. One-way: `side` is the direction, `reduceOnly` YES/NO.
 * Hedge: `tradeSide` open/close names the action and `side` the leg (buy = long leg), so closing a
 * long is `side: buy, tradeSide: close` and executes as a sell of the long leg. An order of the
 * other mode's shape is refused with 40774.
 */
function futuresRequest(account: Account, params: ParamSource): Pick<PlaceOrderRequest, 'side' | 'positionSide' | 'reduceOnly'> {
  const side = enumParam(params, 'side', ['buy', 'sell']);
  const tradeSide = optionalParam(params, 'tradeSide')?.toLowerCase();
  const mismatch = (): BitgetRefusal =>
    new BitgetRefusal('40774', 'The order type for unilateral position must also be the unilateral position type.');
  if (account.positionMode === 'hedge') {
    if (tradeSide === undefined) throw mismatch();
    if (tradeSide !== 'open' && tradeSide !== 'close') throw refusal(BITGET_CODES.parameterError, 'tradeSide');
    const leg: PositionSide = side === 'buy' ? 'long' : 'short';
    if (tradeSide === 'open') return { side, positionSide: leg, reduceOnly: false };
    return { side: side === 'buy' ? 'sell' : 'buy', positionSide: leg, reduceOnly: true };
  }
  if (tradeSide !== undefined && tradeSide !== `${side}_single`) throw mismatch();
  const reduceOnly = optionalParam(params, 'reduceOnly') === undefined ? 'no' : enumParam(params, 'reduceOnly', ['yes', 'no']);
  return { side, reduceOnly: reduceOnly === 'yes' };
}

/** `orderId` or `clientOid`; the id wins when both are sent, as on the venue. */
function orderQuery(params: ParamSource): { orderId?: string; clientOrderId?: string } {
  const orderId = orderIdParam(params);
  if (orderId !== undefined) return { orderId };
  const clientOrderId = optionalParam(params, 'clientOid');
  if (clientOrderId === undefined) throw refusal(BITGET_CODES.parameterEmpty, 'orderId');
  return { clientOrderId };
}

function placeSpotOrder(ctx: VenueContext): unknown {
  const account = accountOf(ctx);
  const params = paramsOf(ctx);
  const instrument = requireInstrument(ctx.engine, 'spot', requiredParam(params, 'symbol'));
  const side = enumParam(params, 'side', ['buy', 'sell']);
  marketOrderType(params);
  const quantity = spotQuantity(ctx.engine, instrument, side, decimalParam(params, 'size'));
  const order = ctx.engine.placeOrder(account, {
    market: 'spot',
    symbol: instrument.symbol,
    side,
    quantity,
    clientOrderId: clientOidOrGenerated(ctx.engine, params),
  });
  return { orderId: order.orderId, clientOid: order.clientOrderId };
}

function placeFuturesOrder(ctx: VenueContext): unknown {
  const account = accountOf(ctx);
  const params = paramsOf(ctx);
  const symbol = futuresSymbol(ctx.engine, params, 'required');
  enumParam(params, 'marginMode', ['crossed', 'isolated']);
  marketOrderType(params);
  const size = decimalParam(params, 'size');
  checkScale(size, requireInstrument(ctx.engine, 'futures', symbol).stepSize);
  const order = ctx.engine.placeOrder(account, {
    market: 'futures',
    symbol,
    quantity: size,
    ...futuresRequest(account, params),
    clientOrderId: clientOidOrGenerated(ctx.engine, params),
  });
  return { orderId: order.orderId, clientOid: order.clientOrderId };
}

/** Placing and querying market orders, spot and USDT-M. */
export const BITGET_ORDER_ROUTES: readonly BitgetRoute[] = [
  ...BITGET_ORDER_LIST_ROUTES,
  signedRoute('POST', '/api/v2/spot/trade/place-order', 'spot', 10, placeSpotOrder, 'order.create'),

  signedRoute(
    'GET',
    '/api/v2/spot/trade/orderInfo',
    'spot',
    20,
    (ctx) => {
      const account = accountOf(ctx);
      const query = orderQuery(ctx.request.query);
      const order = ctx.engine.findOrder(account, { ...query, market: 'spot' });
      // The current page finds an order by clientOid only while it is unfilled.
      if (query.orderId === undefined && ctx.engine.rules.bitgetSpotClientOidLookup === 'unfilledOnly' && !isOpen(order)) {
        throw new EngineError('ORDER_NOT_FOUND', 'Order does not exist');
      }
      const base = ctx.engine.instrument('bitget', 'spot', order.symbol)?.base ?? order.symbol.replace(/USDT$/, '');
      return [spotOrderRow(order, account, base)];
    },
    'order.query',
  ),

  signedRoute('POST', '/api/v2/mix/order/place-order', 'futures', 10, placeFuturesOrder, 'order.create'),

  signedRoute(
    'GET',
    '/api/v2/mix/order/detail',
    'futures',
    10,
    (ctx) => {
      const account = accountOf(ctx);
      const symbol = futuresSymbol(ctx.engine, ctx.request.query, 'optional');
      const order = ctx.engine.findOrder(account, { ...orderQuery(ctx.request.query), symbol, market: 'futures' });
      return futuresOrderRow(order, ctx.engine.leverage(account, order.symbol, order.positionSide ?? 'both'));
    },
    'order.query',
  ),
];
