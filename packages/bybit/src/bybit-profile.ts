import type { VenueErrorMeaning, VenueProfile } from '@xport/ccxt';

import { findBybitOrderByClientId } from './find-order-by-client-id';
import { positionIdxFor, positionModeOf } from './position-idx';
import { bybitAccountEventFacts } from './account-event-facts';

// Codes whose meaning ccxt's class for them does not carry (110043 is a BadRequest to ccxt, 110017 an
// InvalidOrder, 10016 a plain ExchangeError), or that the placement state machine must recognise.
const BYBIT_CODES: Readonly<Record<string, VenueErrorMeaning>> = {
  '110043': 'noChange', // Set leverage not modified
  '110025': 'noChange', // Position mode is not modified
  '110017': 'positionNotFound', // Reduce-only: current position is zero / would not reduce
  '110072': 'duplicateClientOrderId', // OrderLinkedID is duplicate (perpetuals)
  '170141': 'duplicateClientOrderId', // Duplicate clientOrderId (spot)
  '110001': 'orderNotFound', // Order does not exist (perpetuals)
  '170213': 'orderNotFound', // Order does not exist (spot)
  '10002': 'timestamp', // Request time outside recv_window
  '110013': 'invalidLeverage', // Due to risk limit, cannot set leverage
  '110007': 'insufficientBalance', // Available balance not enough for new order
  '170131': 'insufficientBalance', // Insufficient balance (spot)
  '110094': 'invalidOrder', // Order value below the minimum
  '10000': 'sendStatusUnknown', // Server timeout
  '10016': 'sendStatusUnknown', // Internal server error, or the service is restarting
};

/**
 * Bybit v5 on a unified trading account: spot and USDT perpetuals through one host, one wallet for
 * both. Hedge mode names the leg with `positionIdx` 1/2 (0 in one-way mode) on every futures order;
 * closes also carry `reduceOnly`, so a close can never open the other way.
 */
export const bybitProfile: VenueProfile<'bybit'> = {
  id: 'bybit',
  packageName: '@xport/bybit',
  requiresPassphrase: false,
  // orderLinkId: at most 36 of letters, digits, dashes and underscores; unique per account.
  clientOrderId: { maxLength: 36, pattern: /^[A-Za-z0-9_-]{1,36}$/ },
  rateLimit: {
    // 600 requests per IP in any 5 s, spot and derivatives together: one budget for both markets.
    // The venue's window rolls, so a fixed 5 s window of 600 could let 1,200 through around its
    // edge; 1 s windows of 100 put at most 6 × 100 = 600 into any 5 s, at up to 100 a second.
    oneIpBudget: true,
    spot: { capacity: 100, intervalMs: 1_000 },
    futures: { capacity: 100, intervalMs: 1_000 },
    // Bybit's X-Bapi-Limit-Status is what remains of one UID's budget on one endpoint, not the IP's
    // use, so it cannot correct the shared budget; it paces each account instead.
    usedWeightHeader: undefined,
    // The reset timestamp is named once the budget is spent; until then the window is a rolling second.
    accountHeaders: { remaining: 'x-bapi-limit-status', resetAt: 'x-bapi-limit-reset-timestamp', windowMs: 1_000 },
    // 10006 (on HTTP 200) is one UID over its budget on one endpoint: that account waits, not the IP.
    accountRefusalCodes: ['10006'],
    // Order placement per UID, over a rolling second (20/s spot, 10/s linear): 1 s windows holding
    // half the limit put at most the limit into any second (two windows).
    accountBudgets: {
      spot: { createOrder: [{ name: 'orders', capacity: 10, intervalMs: 1_000 }] },
      futures: { createOrder: [{ name: 'orders', capacity: 5, intervalMs: 1_000 }] },
    },
    // The IP limit's 403 "access too frequent" is a ban of at least ten minutes for the whole address.
    refusalWaitMs: (message) => (/access too frequent/i.test(message) ? 600_000 : undefined),
    // HTTP requests per operation: markets are the server time, spot, linear and pre-launch linear
    // instruments, and a second linear page on the real venue.
    weights: { loadMarkets: 5, fetchTime: 1, fetchTickers: 1, fetchBalance: 1, createOrder: 1, fetchOrder: 1, setLeverage: 1, fetchPositions: 1, fetchPositionMode: 1 },
  },
  // The create answer is an acknowledgement; the order service shows the order in /v5/order/realtime
  // within moments, so three seconds of "not found" is proof of absence.
  orderVisibilityMs: 3_000,
  // Market orders have their own cap (lotSizeFilter.maxMktOrderQty), which ccxt does not read.
  maxMarketOrderQuantity: (market) => {
    const cap = Number((market.info as { lotSizeFilter?: { maxMktOrderQty?: string } } | undefined)?.lotSizeFilter?.maxMktOrderQty);
    return Number.isFinite(cap) && cap > 0 ? cap : undefined;
  },
  testnetDescription: 'testnet (ccxt sandbox mode): spot and USDT perpetuals both at https://api-testnet.bybit.com, with keys from testnet.bybit.com',
  ccxtConfig: () => ({
    // ccxt signs the currencies call before it syncs the clock, so on a skewed clock loadMarkets
    // failed with 10002; xport needs no currencies.
    has: { fetchCurrencies: false },
    options: {
      adjustForTimeDifference: true,
      fetchMarkets: { types: ['spot', 'linear'] },
      // xport drives v5 unified trading accounts only; saying so spares every instance ccxt's two
      // account-type probes (/v5/user/query-api, /v5/account/info).
      enableUnifiedAccount: true,
      enableUnifiedMargin: false,
      unifiedMarginStatus: 6,
    },
  }),
  useTestnet: (exchange) => {
    exchange.setSandboxMode(true);
  },
  orderParams: ({ market, positionMode, positionSide, reduceOnly, clientOrderId }) => {
    // Spot market orders go out with marketUnit=baseCoin (ccxt's choice without a price), so the
    // quantity is the base amount bought or sold.
    if (market === 'spot') return { clientOrderId };
    const params = { clientOrderId, positionIdx: positionIdxFor(positionMode, positionSide) };
    return reduceOnly ? { ...params, reduceOnly: true } : params;
  },
  // A unified account in cross margin holds one leverage per symbol: ccxt sends it as both buy and
  // sell leverage, which Bybit requires to be equal.
  leverageParams: () => ({}),
  // Both resolve to the one UNIFIED wallet; the type only says which market asked.
  balanceParams: (market) => (market === 'spot' ? { type: 'spot' } : { type: 'swap', subType: 'linear' }),
  fetchOrderByClientId: findBybitOrderByClientId,
  fetchPositionMode: async (exchange, futuresSymbol) => {
    // USDC perpetuals keep a mode of their own; ask about a USDT one.
    const probe = exchange.market(futuresSymbol).settle === 'USDT' ? futuresSymbol : exchange.symbols.find((symbol) => symbol.endsWith(':USDT'));
    const positions = await exchange.fetchPositions([probe ?? futuresSymbol]);
    return positionModeOf(positions.map((position) => (position.info as Record<string, unknown>).positionIdx));
  },
  classifyCode: (code, message) => {
    // 10001 is Bybit's catch-all parameter error; only its leverage form is a leverage refusal.
    if (code === '10001') return /leverage invalid|invalid leverage/i.test(message) ? 'invalidLeverage' : undefined;
    return BYBIT_CODES[code];
  },
  // Order create answers ids only ({orderId, orderLinkId}); the fill is read back by orderLinkId.
  fetchAfterCreate: true,
  accountEventFacts: bybitAccountEventFacts,
};
