import { Decimal } from 'decimal.js';
import { EngineError, type Instrument, type VenueContext, type VenueResponse } from '../../contract';
import { bybitOk } from './envelope';
import { answering, categoryParam, optionalString, paramsOf } from './params';
import { LINEAR_PRICE_LIMIT } from './price-limit';
import type { BybitRoute } from './rate-limit';
import { formatDecimal } from '../shared/decimal';

const DEFAULT_PAGE = 500;
const MAX_PAGE = 1000;
/** Bybit lists the price band of a perpetual as up to ~20 million ticks. */
const MAX_PRICE_TICKS = 19_999_998;
/** Limit orders may be ten times the market-order cap. */
const LIMIT_TO_MARKET_QTY = 10;
const LAUNCH_TIME = '1585526400000';

function serverTime(ctx: VenueContext): VenueResponse {
  const now = ctx.engine.now();
  return bybitOk({ timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` }, now);
}

/** The spot order amount cap (quote units) the simulator lists for every symbol. */
const MAX_SPOT_ORDER_AMOUNT = '2000000';

/**
 * Bybit numbers its instruments (`symbolId`); the simulator numbers each category's catalogue from
 * 1 in listing order, so an id is stable however the list is filtered.
 */
function symbolIds(instruments: readonly Instrument[]): ReadonlyMap<string, number> {
  return new Map(instruments.map((instrument, index) => [instrument.symbol, index + 1]));
}

function spotInstrument(instrument: Instrument, symbolId: number): Record<string, unknown> {
  const maxQty = formatDecimal(instrument.maxQty);
  return {
    symbolId,
    symbol: instrument.symbol,
    baseCoin: instrument.base,
    quoteCoin: instrument.quote,
    innovation: '0',
    status: 'Trading',
    marginTrading: 'utaOnly',
    stTag: '0',
    lotSizeFilter: {
      basePrecision: formatDecimal(instrument.stepSize),
      quotePrecision: '0.00000001',
      minOrderQty: formatDecimal(instrument.minQty),
      maxOrderQty: maxQty,
      minOrderAmt: formatDecimal(instrument.minNotional),
      maxOrderAmt: MAX_SPOT_ORDER_AMOUNT,
      // One quantity cap here for every order type; post-only orders are capped by the amount.
      maxLimitOrderQty: maxQty,
      maxMarketOrderQty: maxQty,
      postOnlyMaxLimitOrderSize: MAX_SPOT_ORDER_AMOUNT,
    },
    priceFilter: { tickSize: formatDecimal(instrument.tickSize) },
    riskParameters: { priceLimitRatioX: '0.05', priceLimitRatioY: '0.05' },
    symbolType: '',
  };
}

function linearInstrument(instrument: Instrument, symbolId: number): Record<string, unknown> {
  const limitQty = formatDecimal(instrument.maxQty.times(LIMIT_TO_MARKET_QTY));
  return {
    symbol: instrument.symbol,
    symbolId,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: instrument.base,
    quoteCoin: instrument.quote,
    launchTime: LAUNCH_TIME,
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(instrument.tickSize.decimalPlaces()),
    leverageFilter: { minLeverage: '1', maxLeverage: new Decimal(instrument.maxLeverage).toFixed(2), leverageStep: '0.01' },
    priceFilter: {
      minPrice: formatDecimal(instrument.tickSize),
      maxPrice: formatDecimal(instrument.tickSize.times(MAX_PRICE_TICKS)),
      tickSize: formatDecimal(instrument.tickSize),
    },
    lotSizeFilter: {
      maxOrderQty: limitQty,
      minOrderQty: formatDecimal(instrument.minQty),
      qtyStep: formatDecimal(instrument.stepSize),
      postOnlyMaxOrderQty: limitQty,
      maxMktOrderQty: formatDecimal(instrument.maxQty),
      minNotionalValue: formatDecimal(instrument.minNotional),
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: instrument.quote,
    copyTrading: 'both',
    upperFundingRate: '0.005',
    lowerFundingRate: '-0.005',
    isPreListing: false,
    preListingInfo: null,
    riskParameters: { priceLimitRatioX: formatDecimal(LINEAR_PRICE_LIMIT.x), priceLimitRatioY: formatDecimal(LINEAR_PRICE_LIMIT.y) },
    displayName: '',
    symbolType: '',
  };
}

function pageLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PAGE;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new EngineError('INVALID_PARAMETER', `limit must be an integer in [1, ${MAX_PAGE}]`);
  return limit;
}

/**
 * `GET /v5/market/instruments-info`: spot answers in one page, linear pages by `limit` (default 500,
 * at most 1000) with `nextPageCursor`, as ccxt follows it. Inverse and option markets, and
 * pre-launch listings, are not traded here and answer empty lists.
 */
function instrumentsInfo(ctx: VenueContext): VenueResponse {
  const params = paramsOf(ctx);
  const category = categoryParam(params, ['spot', 'linear', 'inverse', 'option'] as const);
  const symbol = optionalString(params, 'symbol');
  const baseCoin = optionalString(params, 'baseCoin');
  const status = optionalString(params, 'status');
  const now = ctx.engine.now();
  const traded = category === 'spot' || category === 'linear';
  const catalogue = traded ? ctx.engine.instruments('bybit', category === 'spot' ? 'spot' : 'futures') : [];
  const ids = symbolIds(catalogue);
  const listed = status === undefined || status === 'Trading' ? catalogue : [];
  const matching = listed.filter((instrument) => (symbol === undefined || instrument.symbol === symbol) && (baseCoin === undefined || instrument.base === baseCoin));
  const idOf = (instrument: Instrument): number => ids.get(instrument.symbol) ?? 0;
  if (category === 'spot') return bybitOk({ category, list: matching.map((instrument) => spotInstrument(instrument, idOf(instrument))) }, now);
  const limit = pageLimit(optionalString(params, 'limit'));
  const cursor = optionalString(params, 'cursor');
  const offset = cursor === undefined ? 0 : Number(cursor);
  if (!Number.isInteger(offset) || offset < 0) throw new EngineError('INVALID_PARAMETER', 'cursor is invalid');
  const page = matching.slice(offset, offset + limit);
  const nextPageCursor = offset + limit < matching.length ? String(offset + limit) : '';
  return bybitOk({ category, list: page.map((instrument) => linearInstrument(instrument, idOf(instrument))), nextPageCursor }, now);
}

function ticker(instrument: Instrument, mark: Decimal, spot: boolean): Record<string, unknown> {
  const last = formatDecimal(mark);
  const common = {
    symbol: instrument.symbol,
    bid1Price: formatDecimal(mark.minus(instrument.tickSize)),
    bid1Size: '1',
    ask1Price: formatDecimal(mark.plus(instrument.tickSize)),
    ask1Size: '1',
    lastPrice: last,
    prevPrice24h: last,
    price24hPcnt: '0',
    highPrice24h: last,
    lowPrice24h: last,
    turnover24h: '0',
    volume24h: '0',
  };
  if (spot) return { ...common, usdIndexPrice: last };
  return {
    ...common,
    indexPrice: last,
    markPrice: last,
    prevPrice1h: last,
    openInterest: '0',
    openInterestValue: '0',
    fundingRate: '0.0001',
    nextFundingTime: '0',
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    basis: '',
  };
}

/** `GET /v5/market/tickers`: every price is the simulator's mark, one tick either side for the book. */
function tickers(ctx: VenueContext): VenueResponse {
  const params = paramsOf(ctx);
  const category = categoryParam(params, ['spot', 'linear', 'inverse', 'option'] as const);
  const symbol = optionalString(params, 'symbol');
  const now = ctx.engine.now();
  if (category !== 'spot' && category !== 'linear') {
    if (symbol !== undefined) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
    return bybitOk({ category, list: [] }, now);
  }
  const market = category === 'spot' ? 'spot' : 'futures';
  let listed: readonly Instrument[];
  if (symbol === undefined) listed = ctx.engine.instruments('bybit', market);
  else {
    const instrument = ctx.engine.instrument('bybit', market, symbol);
    if (!instrument) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
    listed = [instrument];
  }
  const list = listed.map((instrument) => ticker(instrument, ctx.engine.markPrice('bybit', instrument.symbol), category === 'spot'));
  return bybitOk({ category, list }, now);
}

export const bybitMarketRoutes: readonly BybitRoute[] = [
  { method: 'GET', path: '/v5/market/time', kind: 'other', signed: false, handle: answering(serverTime) },
  { method: 'GET', path: '/v5/market/instruments-info', kind: 'other', signed: false, handle: answering(instrumentsInfo) },
  { method: 'GET', path: '/v5/market/tickers', kind: 'other', signed: false, handle: answering(tickers) },
];
