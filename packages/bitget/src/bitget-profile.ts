import { malformedAnswer } from '@xport/ccxt/internal';
import type { VenueErrorMeaning, VenueProfile } from '@xport/ccxt';

import { findBitgetOrderByClientId } from './find-order-by-client-id';
import { marketOrderCap } from './market-order-cap';
import { sizeSpotMarketBuy } from './spot-market-buy';
import { bitgetAccountEventFacts } from './account-event-facts';

// Codes ccxt 4.5.84's bitget class maps too coarsely or not at all (a plain ExchangeError), and the
// codes whose meaning the order state machine needs (duplicate id, not found, timestamp).
const BITGET_CODES: Readonly<Record<string, VenueErrorMeaning>> = {
  '40797': 'invalidLeverage', // Exceeded the maximum settable leverage
  '22002': 'positionNotFound', // No position to close
  '40786': 'duplicateClientOrderId', // Duplicate clientOid (USDT-M)
  '43118': 'duplicateClientOrderId', // clientOrderId duplicate (spot)
  '43001': 'orderNotFound', // The order does not exist (spot)
  '40109': 'orderNotFound', // The data of the order cannot be found (USDT-M)
  '40008': 'timestamp', // Request timestamp expired
  '40005': 'timestamp', // Invalid ACCESS_TIMESTAMP
  '43012': 'insufficientBalance', // Insufficient balance (spot)
  '40762': 'insufficientBalance', // The order amount exceeds the balance (USDT-M)
  '45111': 'invalidOrder', // less than the minimum order quantity
  '45112': 'invalidOrder', // more than the maximum order quantity
  '43006': 'invalidOrder', // The order quantity is less than the minimum (spot)
  '43007': 'invalidOrder', // The order quantity is greater than the maximum (spot)
};

/**
 * Bitget, classic account, API v2: spot and USDT-M perpetuals (`productType` USDT-FUTURES), both on
 * `api.bitget.com`. An API key comes with a passphrase. Hedge mode sends `tradeSide` open/close with
 * `side` naming the leg (ccxt's `hedged: true`), and leverage per leg with `holdSide`; one-way mode
 * closes with `reduceOnly: YES`. Demo trading is the testnet: the same hosts with `PAPTRADING: 1`.
 */
export const bitgetProfile: VenueProfile<'bitget'> = {
  id: 'bitget',
  packageName: '@xport/bitget',
  requiresPassphrase: true,
  // Bitget's pages disagree on the clientOid format (Best Practices: 32 of [0-9A-Za-z_:#+-] and
  // white space; the error codes: 64 without "Martian characters"); only ids valid under both pass.
  clientOrderId: { maxLength: 32, pattern: /^[0-9A-Za-z_:#-]{1,32}$/ },
  rateLimit: {
    // Private limits are per UID and per endpoint (10/s for place-order), which one account never
    // nears; what every account in the process shares is the IP's overall 6,000 requests a minute,
    // split between the two markets so that together they stay inside it. Bitget's only usage
    // header, x-mbx-used-remain-limit, is what is left of one endpoint's per-second budget for one
    // UID, not a count of the shared budget, so none is observed.
    spot: { capacity: 3000, intervalMs: 60_000 },
    futures: { capacity: 3000, intervalMs: 60_000 },
    // Requests, not weights. loadMarkets: the clock, six contract lists (one per product type), the
    // spot symbols and the margin currencies. fetchTickers: the ask a spot market buy is sized at.
    // The spot ticker (read before every spot market buy) allows 20 requests a second per IP,
    // however much of the minute's budget is left; a fan-out of buys would outrun it.
    endpoints: { fetchTickers: { capacity: 18, intervalMs: 1_000 } },
    weights: { loadMarkets: 9, fetchTime: 1, fetchTickers: 1, fetchBalance: 1, createOrder: 1, fetchOrder: 1, setLeverage: 1, fetchPositions: 1, fetchPositionMode: 1 },
  },
  orderVisibilityMs: 3_000,
  testnetDescription:
    'demo trading: the live hosts (spot https://api.bitget.com/api/v2/spot, USDT-M https://api.bitget.com/api/v2/mix) with the header PAPTRADING: 1 on every request but the server time; demo API keys',
  ccxtConfig: () => ({
    options: {
      // xport speaks the classic account's v2 API; an unset `uta` makes ccxt probe every instance.
      uta: false,
      // Bitget refuses a timestamp more than 30 s off; the offset is measured with the markets.
      adjustForTimeDifference: true,
      fetchMarkets: { types: ['spot', 'swap'] },
    },
    // The coin list (chains, fees) is a heavy public request xport does not use.
    has: { fetchCurrencies: false },
  }),
  maxMarketOrderQuantity: marketOrderCap,
  useTestnet: (exchange) => {
    exchange.enableDemoTrading(true);
  },
  orderParams: ({ market, positionMode, reduceOnly, clientOrderId }) => {
    if (market === 'spot') return { clientOrderId };
    // Hedge: ccxt sends tradeSide Open/Close and, for a close, flips side back to the leg's.
    if (positionMode === 'hedge') return reduceOnly ? { clientOrderId, hedged: true, reduceOnly: true } : { clientOrderId, hedged: true };
    return reduceOnly ? { clientOrderId, reduceOnly: true } : { clientOrderId };
  },
  leverageParams: ({ positionMode, positionSide }) => (positionMode === 'hedge' ? { holdSide: positionSide } : {}),
  balanceParams: (market) => (market === 'spot' ? { type: 'spot' } : { type: 'swap', productType: 'USDT-FUTURES' }),
  fetchOrderByClientId: findBitgetOrderByClientId,
  // ccxt has no fetchPositionMode for Bitget; the one-symbol account view carries `posMode` (kept
  // per product type, so the adapter probes a USDT-settled contract).
  fetchPositionMode: async (exchange, futuresSymbol) => {
    const leverage = await exchange.fetchLeverage(futuresSymbol);
    const posMode = (leverage.info as { posMode?: unknown } | undefined)?.posMode;
    // Anything but the two documented values says nothing about the mode; one-way would be a guess.
    if (posMode !== 'hedge_mode' && posMode !== 'one_way_mode') throw malformedAnswer('bitget', `a position mode of ${typeof posMode === 'string' ? JSON.stringify(posMode) : typeof posMode}`);
    return posMode === 'hedge_mode' ? 'hedge' : 'oneway';
  },
  classifyCode: (code) => BITGET_CODES[code],
  // place-order answers `{ orderId, clientOid }` only.
  fetchAfterCreate: true,
  accountEventFacts: bitgetAccountEventFacts,
  prepareOrder: sizeSpotMarketBuy,
};
