import { malformedAnswer } from '@xport/ccxt/internal';
import type { AccountEventFacts, VenueErrorMeaning, VenueProfile } from '@xport/ccxt';
import type { MarketType } from '@xport/core';

// ccxt maps Binance's futures codes only for requests to fapi.binance.com itself; behind a proxy or
// the simulator they arrive as plain ExchangeErrors, so the profile names them.
const BINANCE_CODES: Readonly<Record<string, VenueErrorMeaning>> = {
  '-2019': 'insufficientBalance', // Margin is insufficient
  '-4164': 'invalidOrder', // Order's notional must be no smaller than the minimum
  '-2022': 'positionNotFound', // ReduceOnly Order is rejected: nothing to reduce
  '-4028': 'invalidLeverage', // Leverage is not valid
  '-4116': 'duplicateClientOrderId', // ClientOrderId is duplicated (USDⓈ-M)
  '-2013': 'orderNotFound', // Order does not exist
  '-4046': 'noChange', // No need to change margin type
  '-4059': 'noChange', // No need to change position side
  '-1021': 'timestamp', // Timestamp outside recvWindow
  '-1007': 'sendStatusUnknown', // Timeout waiting for response from backend server
  '-1006': 'sendStatusUnknown', // Unexpected response; execution status unknown
};

const INTERVAL_MS: Readonly<Record<string, number>> = { SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

/** -1015 "Too many new orders; current limit is 300 orders per 10 SECOND.": the window it names. */
function orderWindowMs(message: string): number | undefined {
  const match = /orders per (\d+) (SECOND|MINUTE|HOUR|DAY)/.exec(message);
  const unit = match?.[2] === undefined ? undefined : INTERVAL_MS[match[2]];
  return unit === undefined ? undefined : Number(match?.[1]) * unit;
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null;

/**
 * What Binance's payloads say beyond ccxt's unified trade and order. The user-data stream's spot
 * `executionReport` and USDⓈ-M `ORDER_TRADE_UPDATE.o` carry the client order id in `c`, the
 * futures leg in `ps` (`LONG`, `SHORT`, or `BOTH` in one-way mode, which names no leg) and
 * reduce-only in `R`; REST `userTrades` (USDⓈ-M) has `positionSide`, and neither REST trade list
 * has the client order id.
 */
function binanceAccountEventFacts(info: unknown, market: MarketType): AccountEventFacts {
  if (!isRecord(info)) return {};
  const clientOrderId = typeof info.c === 'string' && info.c !== '' ? info.c : typeof info.clientOrderId === 'string' && info.clientOrderId !== '' ? info.clientOrderId : undefined;
  if (market === 'spot') return { clientOrderId };
  const leg = info.ps ?? info.positionSide;
  const positionSide = leg === 'LONG' ? 'long' : leg === 'SHORT' ? 'short' : undefined;
  const flag = info.R ?? info.reduceOnly;
  return { clientOrderId, positionSide, reduceOnly: typeof flag === 'boolean' ? flag : undefined };
}

/**
 * ccxt (4.5.84) schedules the USDⓈ-M listen key's renewal every `listenKeyRefreshRate` (20 minutes)
 * with parameters that have lost the market type, and its `keepAliveListenKey` then falls back to
 * `defaultType` (spot), finds no spot listen key — spot streams subscribe through the WebSocket API
 * without one — and renews nothing, so the key would expire after 60 minutes. The only listen key
 * an xport stream holds is the USDⓈ-M one, so the renewal is pointed at it.
 */
function renewFuturesListenKey(exchange: object): void {
  const instance = exchange as { keepAliveListenKey?: (params?: Record<string, unknown>) => Promise<unknown> };
  const keepAlive = instance.keepAliveListenKey;
  if (typeof keepAlive !== 'function') return;
  instance.keepAliveListenKey = (params: Record<string, unknown> = {}) => keepAlive.call(exchange, { type: 'future', ...params });
}

/**
 * Binance: spot (`api.binance.com`) and USDT-M futures (`fapi.binance.com`). Hedge mode sends
 * `positionSide` LONG/SHORT and never `reduceOnly` (Binance refuses the pair); the clock is synced at
 * load and again, once, on -1021.
 */
export const binanceProfile: VenueProfile<'binance'> = {
  id: 'binance',
  packageName: '@xport/binance',
  requiresPassphrase: false,
  // USDⓈ-M also takes `.`, `:` and `/`; spot does not. One rule serves both markets, so only ids
  // valid on spot pass.
  clientOrderId: { maxLength: 36, pattern: /^[A-Za-z0-9_-]{1,36}$/ },
  rateLimit: {
    // Request weight per IP per minute, per API family, shared by every key on the machine.
    spot: { capacity: 6000, intervalMs: 60_000 },
    futures: { capacity: 2400, intervalMs: 60_000 },
    usedWeightHeader: 'x-mbx-used-weight-1m',
    // -1015: the account's order count is spent (per account, on spot and USDⓈ-M separately); the
    // order was refused unprocessed. Spot names the wait in Retry-After, USDⓈ-M only in the text.
    accountRefusalCodes: ['-1015'],
    // Orders per account, as exchangeInfo.rateLimits publishes them (ORDERS), shared by every key and
    // worker of the account; the answer to each order carries the venue's counts, which are adopted.
    // Spot counts unfilled orders (a filled one leaves the count shortly after); every order is
    // counted here, which never lets more through than the venue would.
    accountBudgets: {
      spot: {
        createOrder: [
          { name: 'orders-10s', capacity: 100, intervalMs: 10_000, usedHeader: 'x-mbx-order-count-10s' },
          { name: 'orders-1d', capacity: 200_000, intervalMs: 86_400_000, usedHeader: 'x-mbx-order-count-1d' },
        ],
      },
      futures: {
        createOrder: [
          { name: 'orders-10s', capacity: 300, intervalMs: 10_000, usedHeader: 'x-mbx-order-count-10s' },
          { name: 'orders-1m', capacity: 1_200, intervalMs: 60_000, usedHeader: 'x-mbx-order-count-1m' },
        ],
      },
    },
    refusalWaitMs: orderWindowMs,
    weights: { loadMarkets: 40, fetchTime: 1, fetchBalance: 20, createOrder: 1, fetchOrder: 4, setLeverage: 1, fetchPositions: 5, fetchPositionMode: 30, fetchMyTrades: 20 },
  },
  orderVisibilityMs: 3_000,
  testnetDescription:
    'demo trading: spot https://demo-api.binance.com/api, USDT-M https://demo-fapi.binance.com/fapi (ccxt refuses the old futures sandbox)',
  ccxtConfig: () => ({
    options: {
      adjustForTimeDifference: true,
      fetchMarkets: { types: ['spot', 'linear'] },
      // The currencies call is a private, heavy request xport does not need.
      fetchCurrencies: false,
    },
  }),
  useTestnet: (exchange) => {
    exchange.enableDemoTrading(true);
  },
  orderParams: ({ market, positionMode, positionSide, reduceOnly, clientOrderId }) => {
    if (market === 'spot') return { clientOrderId };
    if (positionMode === 'hedge') return { clientOrderId, positionSide: positionSide === 'short' ? 'SHORT' : 'LONG' };
    return reduceOnly ? { clientOrderId, reduceOnly: true } : { clientOrderId };
  },
  leverageParams: () => ({}),
  balanceParams: (market) => (market === 'spot' ? { type: 'spot' } : { type: 'swap', subType: 'linear' }),
  fetchOrderByClientId: (exchange, { clientOrderId, symbol }) => exchange.fetchOrder('', symbol, { origClientOrderId: clientOrderId }),
  fetchPositionMode: async (exchange, symbol) => {
    // An answer without dualSidePosition says nothing about the mode; reading it as one-way would be a guess.
    const { hedged } = await exchange.fetchPositionMode(symbol);
    if (typeof hedged !== 'boolean') throw malformedAnswer('binance', 'a position mode without dualSidePosition');
    return hedged ? 'hedge' : 'oneway';
  },
  classifyCode: (code, message) => {
    if (code === '-2010' && /duplicate/i.test(message)) return 'duplicateClientOrderId';
    return BINANCE_CODES[code];
  },
  fetchMaxLeverage: async (exchange) => {
    const tiers = await exchange.fetchLeverageTiers(undefined, { subType: 'linear' });
    const max: Record<string, number> = {};
    for (const [symbol, brackets] of Object.entries(tiers)) {
      const top = Math.max(...brackets.map((bracket) => bracket.maxLeverage ?? 0));
      if (top > 0) max[symbol] = top;
    }
    return max;
  },
  fetchAfterCreate: false,
  accountEventFacts: binanceAccountEventFacts,
  prepareStream: renewFuturesListenKey,
};
