import type { Decimal } from 'decimal.js';
import { EngineError, type EngineApi, type Instrument, type VenueContext, type VenueResponse, type VenueRoute } from '../../contract';
import { spotAccount } from './account';
import { LOT_SIZE_FAILURE, binanceError, engineErrorAnswer } from './errors';
import { capitalConfig } from './market-data';
import { spotOrderAck, spotOrderFull, spotOrderQuery, spotOrderResult, spotTrade, tradeIdOf } from './orders';
import { allOrders, openOrders, tradeHistory } from './order-lists';
import { isAnswer, optionalClientOrderId, requireDecimal, requireQuantity } from './params';
import {
  accountOf,
  ok,
  okJson,
  orderBasics,
  orderQuery,
  pingAndTime,
  publicRoute,
  requireInstrument,
  signedRoute,
  type BinanceRouteKit,
} from './route-kit';

/**
 * A spot market order's quantity: `quantity` in base units, or `quoteOrderQty` to spend (buy) or
 * receive (sell) in quote units, converted at the mark price and cut to the lot step as Binance fills it.
 */
function spotQuantity(engine: EngineApi, instrument: Instrument, params: Readonly<Record<string, string>>): Decimal | VenueResponse {
  if (params.quoteOrderQty === undefined) return requireQuantity(params, 'quantity');
  if (params.quantity !== undefined) return binanceError(400, -1106, "Parameter 'quoteOrderQty' sent when not required.");
  const quote = requireDecimal(params, 'quoteOrderQty');
  if (isAnswer(quote)) return quote;
  const price = engine.markPrice('binance', instrument.symbol);
  const quantity = quote.div(price).div(instrument.stepSize).floor().times(instrument.stepSize);
  return quantity.gt(0) ? quantity : LOT_SIZE_FAILURE;
}

function placeSpotOrder(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const basics = orderBasics(kit, ctx, 'spot');
  if (isAnswer(basics)) return basics;
  const { params, account, instrument, side } = basics;
  const quantity = spotQuantity(ctx.engine, instrument, params);
  if (isAnswer(quantity)) return quantity;
  const clientOrderId = optionalClientOrderId(params, 'newClientOrderId', 'spot');
  if (isAnswer(clientOrderId)) return clientOrderId;
  let order;
  try {
    order = ctx.engine.placeOrder(account, {
      market: 'spot',
      symbol: instrument.symbol,
      side,
      quantity,
      ...(clientOrderId === undefined ? {} : { clientOrderId }),
    });
  } catch (error) {
    if (error instanceof EngineError) return engineErrorAnswer(error, 'spot', instrument);
    throw error;
  }
  // MARKET orders answer FULL unless the client asks otherwise.
  switch (params.newOrderRespType) {
    case 'ACK':
      return ok(spotOrderAck(order));
    case 'RESULT':
      return ok(spotOrderResult(order));
    default:
      return ok(spotOrderFull(order, tradeIdOf(order)));
  }
}

function querySpotOrder(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const params = kit.params(ctx);
  const instrument = requireInstrument(ctx, params, 'spot');
  if (isAnswer(instrument)) return instrument;
  const query = orderQuery(params);
  if (isAnswer(query)) return query;
  return ok(spotOrderQuery(ctx.engine.findOrder(accountOf(ctx), { ...query, symbol: instrument.symbol, market: 'spot' })));
}

/** Every asset the spot catalogue trades, quote first: the coins `capital/config/getall` lists. */
function catalogueAssets(engine: EngineApi): string[] {
  const assets = new Set<string>(['USDT']);
  for (const instrument of engine.instruments('binance', 'spot')) {
    assets.add(instrument.base);
    assets.add(instrument.quote);
  }
  return [...assets];
}

/** Spot (`/api/v3`) and wallet (`/sapi/v1`) routes, with Binance's request weights. */
export function spotRoutes(kit: BinanceRouteKit): VenueRoute[] {
  return [
    ...pingAndTime('/api/v3'),
    publicRoute('/api/v3/exchangeInfo', 20, (ctx) =>
      okJson(kit.exchangeInfo.spot(ctx.engine.instruments('binance', 'spot'), kit.weightBudget('api'), kit.orderLimits('spot'), ctx.engine.now())),
    ),
    signedRoute('GET', '/api/v3/account', 20, (ctx) => ok(spotAccount(ctx.engine, accountOf(ctx)))),
    signedRoute('POST', '/api/v3/order', 1, (ctx) => placeSpotOrder(kit, ctx), 'order.create'),
    signedRoute('GET', '/api/v3/order', 4, (ctx) => querySpotOrder(kit, ctx), 'order.query'),
    // Weight 6 with a symbol (ccxt always sends one); 80 without.
    signedRoute('GET', '/api/v3/openOrders', 6, (ctx) => openOrders(kit, ctx, 'spot'), 'order.query'),
    signedRoute('GET', '/api/v3/allOrders', 20, (ctx) => allOrders(kit, ctx, 'spot'), 'order.query'),
    signedRoute('GET', '/api/v3/myTrades', 20, (ctx) => tradeHistory(kit, ctx, 'spot', spotTrade)),
    publicRoute('/sapi/v1/system/status', 1, () => ok({ status: 0, msg: 'normal' })),
    signedRoute('GET', '/sapi/v1/capital/config/getall', 10, (ctx) => ok(capitalConfig(catalogueAssets(ctx.engine)))),
    // Margin trading is not simulated: both pair lists are empty, as for an account without margin.
    signedRoute('GET', '/sapi/v1/margin/allPairs', 1, () => ok([])),
    signedRoute('GET', '/sapi/v1/margin/isolated/allPairs', 10, () => ok([])),
  ];
}
