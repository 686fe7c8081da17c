import type { Decimal } from 'decimal.js';
import { EngineError, type LedgerOrder, type Side, type VenueContext, type VenueResponse } from '../../contract';
import type { BybitCategory } from './errors';
import { bybitEngineError, contractsAboveMaximum } from './errors';
import { bybitFail, bybitOk } from './envelope';
import {
  answering,
  categoryParam,
  marketOf,
  optionalBoolean,
  optionalString,
  paramsOf,
  positiveDecimal,
  requiredString,
  signedAccount,
} from './params';
import { ORDER_STATUS, executionList, historyOrders, realtimeOrders } from './order-queries';
import { bybitExecution } from './streams';
import { positionIdxOf, positionSideOf } from './position-routes';
import { linearMarketOrderPrice } from './price-limit';
import type { BybitRoute } from './rate-limit';
import { formatDecimal } from '../shared/decimal';

const SIDES: Readonly<Record<string, Side>> = { Buy: 'buy', Sell: 'sell' };
const POSITION_IDX: Readonly<Record<string, number>> = { '0': 0, '1': 1, '2': 2 };
/** At most 36 of letters, digits, `-` and `_`. */
const ORDER_LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;

/**
 * What Bybit's order record shows beyond the ledger: for a spot market order sized in the quote coin
 * (`marketUnit=quoteCoin`, the default for buys) the quote amount asked, where the ledger keeps the
 * base quantity bought; for a perpetual market order the price it was sent to the engine at.
 */
interface OrderExtras {
  readonly apiKey: string;
  readonly time: number;
  readonly quoteQty?: string;
  readonly price?: string;
}

type RecordExtras = Pick<OrderExtras, 'quoteQty' | 'price'>;

function invalid(message: string): EngineError {
  return new EngineError('INVALID_PARAMETER', message);
}

/** Base quantity a quote amount buys at `price`, rounded down to the lot step as Bybit does. */
export function baseQuantityFor(quoteQty: Decimal, price: Decimal, step: Decimal): Decimal {
  return quoteQty.div(price).div(step).floor().times(step);
}

/**
 * One order as `/v5/order/realtime` and `/v5/order/history` list it. The fee is in the coin it was
 * taken in (`cumFeeDetail`, which ccxt reads; `cumExecFee` is deprecated for spot and linear).
 */
export function orderRecord(order: LedgerOrder, extras: RecordExtras = {}): Record<string, unknown> {
  const spot = order.market === 'spot';
  const { quoteQty } = extras;
  const average = formatDecimal(order.price);
  const filled = formatDecimal(order.quantity);
  const fee = formatDecimal(order.fee);
  const record: Record<string, unknown> = {
    orderId: order.orderId,
    orderLinkId: order.clientOrderId,
    blockTradeId: '',
    symbol: order.symbol,
    price: extras.price ?? average,
    qty: quoteQty ?? filled,
    side: order.side === 'buy' ? 'Buy' : 'Sell',
    isLeverage: spot ? '0' : '',
    positionIdx: order.positionSide === undefined ? 0 : positionIdxOf(order.positionSide),
    orderStatus: ORDER_STATUS[order.status],
    createType: spot ? '' : 'CreateByUser',
    cancelType: 'UNKNOWN',
    rejectReason: 'EC_NoError',
    avgPrice: average,
    leavesQty: '0',
    leavesValue: '0',
    cumExecQty: filled,
    cumExecValue: formatDecimal(order.cost),
    cumExecFee: fee,
    cumFeeDetail: { [order.feeAsset]: fee },
    timeInForce: 'IOC',
    orderType: 'Market',
    stopOrderType: '',
    orderIv: '',
    marketUnit: spot ? (quoteQty === undefined ? 'baseCoin' : 'quoteCoin') : '',
    triggerPrice: '',
    takeProfit: '',
    stopLoss: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    triggerBy: '',
    lastPriceOnCreated: average,
    reduceOnly: order.reduceOnly,
    closeOnTrigger: false,
    placeType: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    slLimitPrice: '0',
    tpLimitPrice: '0',
    createdTime: String(order.time),
    updatedTime: String(order.time),
    extraFees: '',
    slippageTolerance: '0',
    slippageToleranceType: 'UNKNOWN',
  };
  // ccxt tells contract orders from spot ones by the presence of tpslMode.
  if (!spot) record.tpslMode = '';
  return record;
}

/**
 * Bybit's order routes. The protocol instance remembers what the order record shows beyond the
 * engine's ledger (quote-sized spot amounts, perpetual order prices).
 */
export function createBybitOrderRoutes(): readonly BybitRoute[] {
  const remembered = new Map<string, OrderExtras>();

  const extrasOf = (order: LedgerOrder): RecordExtras => {
    const entry = remembered.get(order.orderId);
    // Ids repeat after a simulator reset; only trust the entry if it describes this very order.
    return entry?.apiKey === order.apiKey && entry.time === order.time ? entry : {};
  };

  /** `POST /v5/order/create`: a market order, filled at once; the answer carries only the ids. */
  const createOrder = (ctx: VenueContext): VenueResponse => {
    const params = paramsOf(ctx);
    const category = categoryParam(params, ['spot', 'linear'] as const);
    const symbol = requiredString(params, 'symbol');
    const market = marketOf(category);
    const instrument = ctx.engine.instrument('bybit', market, symbol);
    if (!instrument) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
    const side = SIDES[requiredString(params, 'side')];
    if (side === undefined) throw invalid('side must be Buy or Sell');
    const orderType = requiredString(params, 'orderType');
    if (orderType === 'Limit') throw invalid('xport-sim fills Market orders only');
    if (orderType !== 'Market') throw invalid('orderType must be Market or Limit');
    const qty = positiveDecimal(params, 'qty');
    const orderLinkId = optionalString(params, 'orderLinkId');
    if (orderLinkId !== undefined && !ORDER_LINK_ID.test(orderLinkId)) {
      throw invalid('orderLinkId must be at most 36 letters, digits, dashes or underscores');
    }
    const reduceOnly = optionalBoolean(params, 'reduceOnly') === true;
    const positionIdx = POSITION_IDX[optionalString(params, 'positionIdx') ?? '0'];
    if (positionIdx === undefined) throw invalid('positionIdx must be 0, 1 or 2');
    let quantity = qty;
    let quoteQty: Decimal | undefined;
    if (category === 'spot') {
      const unit = optionalString(params, 'marketUnit') ?? (side === 'buy' ? 'quoteCoin' : 'baseCoin');
      if (unit === 'quoteCoin') {
        quoteQty = qty;
        quantity = baseQuantityFor(qty, ctx.engine.markPrice('bybit', symbol), instrument.stepSize);
        if (qty.lt(instrument.minNotional) || quantity.isZero()) {
          throw new EngineError('NOTIONAL_BELOW_MIN', `Order value ${qty.toFixed()} is below the minimum`);
        }
      } else if (unit !== 'baseCoin') {
        throw invalid('marketUnit must be baseCoin or quoteCoin');
      }
    }
    const positionSide = category === 'linear' ? positionSideOf(positionIdx) : undefined;
    const account = signedAccount(ctx);
    const price = category === 'linear' ? linearMarketOrderPrice(ctx.engine.markPrice('bybit', symbol), side, instrument.tickSize) : undefined;
    let order: LedgerOrder;
    try {
      order = ctx.engine.placeOrder(account, {
        market,
        symbol,
        side,
        quantity,
        reduceOnly: category === 'linear' && reduceOnly,
        ...(positionSide === undefined ? {} : { positionSide }),
        ...(orderLinkId === undefined ? {} : { clientOrderId: orderLinkId }),
      });
    } catch (error) {
      if (error instanceof EngineError && error.code === 'QTY_ABOVE_MAX' && category === 'linear') {
        return contractsAboveMaximum(quantity, instrument.maxQty, ctx.engine.now());
      }
      throw error;
    }
    if (quoteQty !== undefined || price !== undefined) {
      remembered.set(order.orderId, {
        apiKey: account.apiKey,
        time: order.time,
        ...(quoteQty === undefined ? {} : { quoteQty: quoteQty.toFixed() }),
        ...(price === undefined ? {} : { price: formatDecimal(price) }),
      });
    }
    return bybitOk({ orderId: order.orderId, orderLinkId: order.clientOrderId }, ctx.engine.now());
  };

  /** The order named by orderId or orderLinkId in this category, or undefined while it is not visible. */
  const lookUp = (ctx: VenueContext, category: BybitCategory): LedgerOrder | undefined => {
    const params = paramsOf(ctx);
    const orderId = optionalString(params, 'orderId');
    const orderLinkId = optionalString(params, 'orderLinkId');
    const symbol = optionalString(params, 'symbol');
    let byId: { orderId: string } | { clientOrderId: string };
    if (orderId !== undefined) byId = { orderId };
    else if (orderLinkId !== undefined) byId = { clientOrderId: orderLinkId };
    else return undefined;
    try {
      const order = ctx.engine.findOrder(signedAccount(ctx), { ...byId, ...(symbol === undefined ? {} : { symbol }) });
      const matches = order.market === marketOf(category) && (orderLinkId === undefined || order.clientOrderId === orderLinkId);
      return matches ? order : undefined;
    } catch (error) {
      if (error instanceof EngineError && error.code === 'ORDER_NOT_FOUND') return undefined;
      throw error;
    }
  };

  /**
   * `GET /v5/order/realtime` and `/v5/order/history` (see order-queries.ts for what each keeps).
   * An order the venue does not show (or not yet, under a queryLag fault) is simply not listed.
   */
  const queryOrders =
    (select: typeof realtimeOrders) =>
    (ctx: VenueContext): VenueResponse => {
      const params = paramsOf(ctx);
      const category = categoryParam(params, ['spot', 'linear', 'inverse', 'option'] as const);
      const orders = category === 'spot' || category === 'linear' ? select(ctx.engine, signedAccount(ctx), category, params) : [];
      const list = orders.map((order) => orderRecord(order, extrasOf(order)));
      return bybitOk({ category, list, nextPageCursor: '' }, ctx.engine.now());
    };

  /** `GET /v5/execution/list`: the fills as the `execution` stream topic sends them, with the same `execId`. */
  const listExecutions = (ctx: VenueContext): VenueResponse => {
    const params = paramsOf(ctx);
    const category = categoryParam(params, ['spot', 'linear', 'inverse', 'option'] as const);
    const page = category === 'spot' || category === 'linear' ? executionList(ctx.engine, signedAccount(ctx), category, params) : { list: [], nextPageCursor: '' };
    const list = page.list.map((order) => {
      // The list names the category once, at the top, not per entry.
      const execution = bybitExecution(order, ctx.engine);
      delete execution.category;
      return execution;
    });
    return bybitOk({ category, list, nextPageCursor: page.nextPageCursor }, ctx.engine.now());
  };

  /** `POST /v5/order/cancel`: every order here is already filled, so there is never anything to cancel. */
  const cancelOrder = (ctx: VenueContext): VenueResponse => {
    const params = paramsOf(ctx);
    const category = categoryParam(params, ['spot', 'linear'] as const);
    requiredString(params, 'symbol');
    if (optionalString(params, 'orderId') === undefined && optionalString(params, 'orderLinkId') === undefined) {
      throw invalid('orderId or orderLinkId is required');
    }
    const now = ctx.engine.now();
    if (lookUp(ctx, category) === undefined) return bybitEngineError(new EngineError('ORDER_NOT_FOUND', 'Order does not exist'), category, now);
    return category === 'spot'
      ? bybitFail(170139, 'Order has been filled.', now)
      : bybitFail(110008, 'The order has been completed or cancelled.', now);
  };

  return [
    { method: 'POST', path: '/v5/order/create', kind: 'order.create', signed: true, perSecond: 'orders', handle: answering(createOrder) },
    { method: 'GET', path: '/v5/order/realtime', kind: 'order.query', signed: true, perSecond: 50, handle: answering(queryOrders(realtimeOrders)) },
    { method: 'GET', path: '/v5/order/history', kind: 'order.query', signed: true, perSecond: 50, handle: answering(queryOrders(historyOrders)) },
    { method: 'GET', path: '/v5/execution/list', kind: 'other', signed: true, perSecond: 50, handle: answering(listExecutions) },
    { method: 'POST', path: '/v5/order/cancel', kind: 'other', signed: true, perSecond: 'orders', handle: answering(cancelOrder) },
  ];
}
