import { toContracts } from './contracts';
import type { Instrument } from '../../contract';
import { futuresLimitMaxQty } from './catalogue';
import type { OrderRateLimit } from './order-count';
import { spot8, stepDecimals } from './orders';

/** 2019-09-25, when BTCUSDT perpetual listed; every simulated contract claims the same day. */
const ONBOARD_DATE = 1_569_398_400_000;
/** Binance marks a perpetual's delivery date as 2100-12-25. */
const PERPETUAL_DELIVERY_DATE = 4_133_404_800_000;

function spotSymbol(instrument: Instrument): Record<string, unknown> {
  return {
    symbol: instrument.symbol,
    status: 'TRADING',
    baseAsset: instrument.base,
    baseAssetPrecision: 8,
    quoteAsset: instrument.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    opoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    pegInstructionsAllowed: true,
    isSpotTradingAllowed: true,
    // No margin trading here: ccxt's market.margin is false, and the margin pair lists are empty.
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: spot8(instrument.tickSize), maxPrice: '1000000.00000000', tickSize: spot8(instrument.tickSize) },
      { filterType: 'LOT_SIZE', minQty: spot8(instrument.minQty), maxQty: spot8(instrument.maxQty), stepSize: spot8(instrument.stepSize) },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: spot8(instrument.maxQty), stepSize: '0.00000000' },
      {
        filterType: 'TRAILING_DELTA',
        minTrailingAboveDelta: 10,
        maxTrailingAboveDelta: 2000,
        minTrailingBelowDelta: 10,
        maxTrailingBelowDelta: 2000,
      },
      {
        filterType: 'NOTIONAL',
        minNotional: spot8(instrument.minNotional),
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
  };
}

function futuresSymbol(instrument: Instrument): Record<string, unknown> {
  // A test instrument's filters are in contracts, and it says its contract size (ccxt reads it).
  const step = toContracts(instrument, instrument.stepSize).toFixed();
  const minQty = toContracts(instrument, instrument.minQty).toFixed();
  const size = instrument.contractSize;
  return {
    ...(size === undefined ? {} : { contractSize: size.toNumber() }),
    symbol: instrument.symbol,
    pair: instrument.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: PERPETUAL_DELIVERY_DATE,
    onboardDate: ONBOARD_DATE,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: instrument.base,
    quoteAsset: instrument.quote,
    marginAsset: instrument.quote,
    pricePrecision: stepDecimals(instrument.tickSize),
    quantityPrecision: stepDecimals(toContracts(instrument, instrument.stepSize)),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: instrument.tickSize.toFixed(), maxPrice: '4529764', tickSize: instrument.tickSize.toFixed() },
      { filterType: 'LOT_SIZE', stepSize: step, minQty, maxQty: toContracts(instrument, futuresLimitMaxQty(instrument)).toFixed() },
      { filterType: 'MARKET_LOT_SIZE', stepSize: step, minQty, maxQty: toContracts(instrument, instrument.maxQty).toFixed() },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: instrument.minNotional.toFixed() },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    permissionSets: ['GRID', 'COPY'],
  };
}

/** Exactly the limits the simulator enforces: the IP's request weight and the account's order counts. */
function rateLimits(weightPerMinute: number, orders: readonly OrderRateLimit[]): unknown[] {
  return [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: weightPerMinute },
    ...orders.map(({ interval, intervalNum, limit }) => ({ rateLimitType: 'ORDERS', interval, intervalNum, limit })),
  ];
}

/**
 * `exchangeInfo` bodies, serialised once per instrument list: with the real-scale catalogue they run
 * to megabytes, and only `serverTime` changes between calls.
 */
export class ExchangeInfoCache {
  private readonly bodies = new WeakMap<readonly Instrument[], string>();

  spot(instruments: readonly Instrument[], weightPerMinute: number, orders: readonly OrderRateLimit[], now: number): string {
    return this.render(instruments, now, () => ({
      rateLimits: rateLimits(weightPerMinute, orders),
      exchangeFilters: [],
      symbols: instruments.map(spotSymbol),
    }));
  }

  futures(instruments: readonly Instrument[], weightPerMinute: number, orders: readonly OrderRateLimit[], now: number): string {
    return this.render(instruments, now, () => ({
      futuresType: 'U_MARGINED',
      rateLimits: rateLimits(weightPerMinute, orders),
      exchangeFilters: [],
      assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
      symbols: instruments.map(futuresSymbol),
    }));
  }

  /** `{"timezone":"UTC","serverTime":<now>,` + the cached rest of the object. */
  private render(instruments: readonly Instrument[], now: number, build: () => Record<string, unknown>): string {
    let rest = this.bodies.get(instruments);
    if (rest === undefined) {
      rest = JSON.stringify(build()).slice(1);
      this.bodies.set(instruments, rest);
    }
    return `{"timezone":"UTC","serverTime":${String(now)},${rest}`;
  }
}

/** COIN-M is not traded here: its exchangeInfo lists no symbols, which ccxt's loadMarkets accepts. */
export function coinMarginedExchangeInfo(weightPerMinute: number, now: number): Record<string, unknown> {
  return {
    timezone: 'UTC',
    serverTime: now,
    rateLimits: rateLimits(weightPerMinute, []),
    exchangeFilters: [],
    symbols: [],
  };
}

/** `GET /sapi/v1/capital/config/getall`: every asset the catalogue trades, on one network. */
export function capitalConfig(assets: readonly string[]): unknown[] {
  return assets.map((coin) => ({
    coin,
    depositAllEnable: true,
    withdrawAllEnable: true,
    name: coin,
    free: '0',
    locked: '0',
    freeze: '0',
    withdrawing: '0',
    ipoing: '0',
    ipoable: '0',
    storage: '0',
    isLegalMoney: false,
    trading: true,
    networkList: [
      {
        network: coin === 'USDT' ? 'ETH' : coin,
        coin,
        withdrawIntegerMultiple: '0.00000001',
        isDefault: true,
        depositEnable: true,
        withdrawEnable: true,
        depositDesc: '',
        withdrawDesc: '',
        specialTips: '',
        specialWithdrawTips: '',
        name: coin,
        resetAddressStatus: false,
        addressRegex: '',
        memoRegex: '',
        withdrawFee: '0',
        withdrawMin: '0',
        withdrawMax: '9999999999.99999999',
        depositDust: '0.00000001',
        minConfirm: 1,
        unLockConfirm: 0,
        sameAddress: false,
        estimatedArrivalTime: 1,
        busy: false,
        contractAddressUrl: '',
        contractAddress: '',
      },
    ],
  }));
}
