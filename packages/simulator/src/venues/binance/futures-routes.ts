import { toBase, toContracts } from './contracts';
import { EngineError, type Instrument, type PositionSide, type VenueContext, type VenueResponse, type VenueRoute } from '../../contract';
import { futuresAccount, leverageBrackets, positionRiskV2, positionRiskV3, symbolConfig } from './account';
import {
  BAD_PRECISION,
  INVALID_SYMBOL,
  MARGIN_TYPE_UNCHANGED,
  REDUCE_ONLY_IN_HEDGE_MODE,
  binanceError,
  engineErrorAnswer,
  invalidParameterValue,
} from './errors';
import { coinMarginedExchangeInfo } from './market-data';
import { FUTURES_ORDER_RETENTION_MS, allOrders, openOrders, tradeHistory } from './order-lists';
import { futuresOrder, futuresTrade, stepDecimals } from './orders';
import { isAnswer, optionalBoolean, optionalClientOrderId, requireInteger, requireQuantity, requireString } from './params';
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

/** `positionSide` on the wire: absent means BOTH (one-way); anything else is -4060 on Binance. */
function positionSideOf(raw: string | undefined): PositionSide | undefined | VenueResponse {
  switch (raw) {
    case undefined:
      return undefined;
    case 'BOTH':
      return 'both';
    case 'LONG':
      return 'long';
    case 'SHORT':
      return 'short';
    default:
      return binanceError(400, -4060, 'Invalid position side.');
  }
}

function placeFuturesOrder(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const basics = orderBasics(kit, ctx, 'futures');
  if (isAnswer(basics)) return basics;
  const { params, account, instrument, side } = basics;
  const contracts = requireQuantity(params, 'quantity');
  if (isAnswer(contracts)) return contracts;
  if (contracts.decimalPlaces() > stepDecimals(toContracts(instrument, instrument.stepSize))) return BAD_PRECISION;
  const quantity = toBase(instrument, contracts);
  const positionSide = positionSideOf(params.positionSide);
  if (isAnswer(positionSide)) return positionSide;
  const reduceOnly = optionalBoolean(params, 'reduceOnly');
  if (isAnswer(reduceOnly)) return reduceOnly;
  if (reduceOnly !== undefined && account.positionMode === 'hedge') return REDUCE_ONLY_IN_HEDGE_MODE;
  const clientOrderId = optionalClientOrderId(params, 'newClientOrderId', 'futures');
  if (isAnswer(clientOrderId)) return clientOrderId;
  try {
    const order = ctx.engine.placeOrder(account, {
      market: 'futures',
      symbol: instrument.symbol,
      side,
      quantity,
      ...(positionSide === undefined ? {} : { positionSide }),
      ...(reduceOnly === undefined ? {} : { reduceOnly }),
      ...(clientOrderId === undefined ? {} : { clientOrderId }),
    });
    return ok(futuresOrder(order, instrument, false));
  } catch (error) {
    if (error instanceof EngineError) return engineErrorAnswer(error, 'futures', instrument);
    throw error;
  }
}

function queryFuturesOrder(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const params = kit.params(ctx);
  const instrument = requireInstrument(ctx, params, 'futures');
  if (isAnswer(instrument)) return instrument;
  const query = orderQuery(params);
  if (isAnswer(query)) return query;
  const createdFrom = ctx.engine.now() - FUTURES_ORDER_RETENTION_MS;
  const order = ctx.engine.findOrder(accountOf(ctx), { ...query, symbol: instrument.symbol, market: 'futures', createdFrom });
  return ok(futuresOrder(order, instrument, true));
}

/**
 * `POST /fapi/v1/leverage` sets both legs of a symbol. Asking for the leverage already set is not an
 * error on Binance (unlike Bybit's 110043): it answers as for a change.
 */
function changeLeverage(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const params = kit.params(ctx);
  const instrument = requireInstrument(ctx, params, 'futures');
  if (isAnswer(instrument)) return instrument;
  const leverage = requireInteger(params, 'leverage');
  if (isAnswer(leverage)) return leverage;
  const symbol = instrument.symbol;
  try {
    ctx.engine.setLeverage(accountOf(ctx), symbol, leverage);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    if (error.code === 'LEVERAGE_TOO_HIGH' || error.code === 'LEVERAGE_INVALID') {
      return binanceError(400, -4028, `Leverage ${leverage} is not valid`);
    }
    if (error.code !== 'LEVERAGE_NOT_MODIFIED') return engineErrorAnswer(error, 'futures', instrument);
  }
  return ok({ symbol, leverage, maxNotionalValue: '1000000' });
}

function changePositionMode(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const params = kit.params(ctx);
  const dual = optionalBoolean(params, 'dualSidePosition');
  if (isAnswer(dual)) return dual;
  if (dual === undefined) return binanceError(400, -1102, "Mandatory parameter 'dualSidePosition' was not sent, was empty/null, or malformed.");
  ctx.engine.setPositionMode(accountOf(ctx), dual ? 'hedge' : 'oneway');
  return ok({ code: 200, msg: 'success' });
}

/** Margin is cross only here: CROSSED is already set (-4046, which ccxt raises as MarginModeAlreadySet). */
function changeMarginType(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const params = kit.params(ctx);
  const instrument = requireInstrument(ctx, params, 'futures');
  if (isAnswer(instrument)) return instrument;
  const marginType = requireString(params, 'marginType');
  if (isAnswer(marginType)) return marginType;
  return marginType === 'CROSSED' ? MARGIN_TYPE_UNCHANGED : invalidParameterValue('marginType');
}

/** The instruments a `symbol` parameter narrows a list to, or -1121 for a symbol not listed. */
function instrumentsFor(ctx: VenueContext, symbol: string | undefined): readonly Instrument[] | VenueResponse {
  if (symbol === undefined) return ctx.engine.instruments('binance', 'futures');
  const instrument = ctx.engine.instrument('binance', 'futures', symbol);
  return instrument ? [instrument] : INVALID_SYMBOL;
}

function positionsV3(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const symbol = kit.params(ctx).symbol;
  const instruments = instrumentsFor(ctx, symbol);
  if (isAnswer(instruments)) return instruments;
  const now = ctx.engine.now();
  return ok(ctx.engine.positions(accountOf(ctx), symbol).map((position) => positionRiskV3(position, now, ctx.engine.instrument('binance', 'futures', position.symbol))));
}

function positionsV2(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const instruments = instrumentsFor(ctx, kit.params(ctx).symbol);
  if (isAnswer(instruments)) return instruments;
  return ok(positionRiskV2(ctx.engine, accountOf(ctx), instruments));
}

function brackets(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const instruments = instrumentsFor(ctx, kit.params(ctx).symbol);
  if (isAnswer(instruments)) return instruments;
  return ok(instruments.map(leverageBrackets));
}

function symbolConfigs(kit: BinanceRouteKit, ctx: VenueContext): VenueResponse {
  const instruments = instrumentsFor(ctx, kit.params(ctx).symbol);
  if (isAnswer(instruments)) return instruments;
  const account = accountOf(ctx);
  return ok(instruments.map((instrument) => symbolConfig(ctx.engine, account, instrument)));
}

/** USDⓈ-M (`/fapi`) routes and the COIN-M (`/dapi`) market data ccxt's loadMarkets reads. */
export function futuresRoutes(kit: BinanceRouteKit): VenueRoute[] {
  return [
    ...pingAndTime('/fapi/v1'),
    publicRoute('/fapi/v1/exchangeInfo', 1, (ctx) =>
      okJson(
        kit.exchangeInfo.futures(ctx.engine.instruments('binance', 'futures'), kit.weightBudget('fapi'), kit.orderLimits('futures'), ctx.engine.now()),
      ),
    ),
    signedRoute('GET', '/fapi/v3/account', 5, (ctx) => ok(futuresAccount(ctx.engine, accountOf(ctx), 3))),
    signedRoute('GET', '/fapi/v2/account', 5, (ctx) => ok(futuresAccount(ctx.engine, accountOf(ctx), 2))),
    // USDⓈ-M order placement costs no IP weight; it counts against the account's order limits only.
    signedRoute('POST', '/fapi/v1/order', 0, (ctx) => placeFuturesOrder(kit, ctx), 'order.create'),
    signedRoute('GET', '/fapi/v1/order', 1, (ctx) => queryFuturesOrder(kit, ctx), 'order.query'),
    // Weight 1 with a symbol (ccxt always sends one); 40 without.
    signedRoute('GET', '/fapi/v1/openOrders', 1, (ctx) => openOrders(kit, ctx, 'futures'), 'order.query'),
    signedRoute('GET', '/fapi/v1/allOrders', 5, (ctx) => allOrders(kit, ctx, 'futures'), 'order.query'),
    signedRoute('GET', '/fapi/v1/userTrades', 5, (ctx) => tradeHistory(kit, ctx, 'futures', futuresTrade)),
    signedRoute('POST', '/fapi/v1/leverage', 1, (ctx) => changeLeverage(kit, ctx)),
    signedRoute('POST', '/fapi/v1/marginType', 1, (ctx) => changeMarginType(kit, ctx)),
    signedRoute('POST', '/fapi/v1/positionSide/dual', 1, (ctx) => changePositionMode(kit, ctx)),
    signedRoute('GET', '/fapi/v1/positionSide/dual', 30, (ctx) => ok({ dualSidePosition: accountOf(ctx).positionMode === 'hedge' })),
    signedRoute('GET', '/fapi/v3/positionRisk', 5, (ctx) => positionsV3(kit, ctx)),
    signedRoute('GET', '/fapi/v2/positionRisk', 5, (ctx) => positionsV2(kit, ctx)),
    signedRoute('GET', '/fapi/v1/leverageBracket', 1, (ctx) => brackets(kit, ctx)),
    signedRoute('GET', '/fapi/v1/symbolConfig', 5, (ctx) => symbolConfigs(kit, ctx)),
    ...pingAndTime('/dapi/v1'),
    publicRoute('/dapi/v1/exchangeInfo', 1, (ctx) => ok(coinMarginedExchangeInfo(kit.weightBudget('dapi'), ctx.engine.now()))),
  ];
}
