import type { EngineApi, Instrument, Market } from '../../contract';
import { coinRow, contractRow, spotSymbolRow } from './catalogue';
import { futuresSymbol, isUsdtFutures, optionalParam, requireInstrument } from './params';
import { publicGet, type BitgetRoute } from './route';
import { formatDecimal } from '../shared/decimal';

type Row = Record<string, unknown>;

/**
 * Listing rows are rebuilt only when the engine's catalogue changes: at real-venue scale ccxt's
 * loadMarkets asks for hundreds of rows eight times over.
 */
const rowCache = new WeakMap<readonly Instrument[], readonly Row[]>();

function listing(engine: EngineApi, market: Market, symbol: string | undefined): readonly Row[] {
  const instruments = engine.instruments('bitget', market);
  let rows = rowCache.get(instruments);
  if (!rows) {
    rows = instruments.map(market === 'spot' ? spotSymbolRow : contractRow);
    rowCache.set(instruments, rows);
  }
  return symbol === undefined ? rows : rows.filter((row) => row.symbol === symbol);
}

const coinCache = new WeakMap<readonly Instrument[], readonly Row[]>();

/** Every coin a spot pair trades, the quote first. */
function coins(engine: EngineApi, coin: string | undefined): readonly Row[] {
  const instruments = engine.instruments('bitget', 'spot');
  let rows = coinCache.get(instruments);
  if (!rows) {
    const names = new Set<string>();
    for (const instrument of instruments) names.add(instrument.quote);
    for (const instrument of instruments) names.add(instrument.base);
    rows = [...names].map(coinRow);
    coinCache.set(instruments, rows);
  }
  return coin === undefined ? rows : rows.filter((row) => row.coin === coin);
}

/** Every price of a ticker is the mark price: the simulator has no book, and fills at the mark. */
function tickerRow(engine: EngineApi, instrument: Instrument): Row {
  const price = formatDecimal(engine.markPrice('bitget', instrument.symbol));
  const row: Row = {
    symbol: instrument.symbol,
    high24h: price,
    open: price,
    low24h: price,
    lastPr: price,
    quoteVolume: '0',
    baseVolume: '0',
    usdtVolume: '0',
    bidPr: price,
    askPr: price,
    bidSz: '0',
    askSz: '0',
    openUtc: price,
    ts: String(engine.now()),
    changeUtc24h: '0',
    change24h: '0',
  };
  if (instrument.market === 'futures') {
    row.indexPrice = price;
    row.markPrice = price;
    row.fundingRate = '0.0001';
    row.holdingAmount = '0';
    row.open24h = price;
  }
  return row;
}

/** The public endpoints ccxt's loadMarkets, fetchTime and fetchTicker call. */
export const BITGET_MARKET_ROUTES: readonly BitgetRoute[] = [
  publicGet('/api/v2/public/time', 'spot', 20, ({ engine }) => ({ serverTime: String(engine.now()) })),

  publicGet('/api/v2/spot/public/coins', 'spot', 3, ({ engine, request }) => coins(engine, optionalParam(request.query, 'coin'))),

  publicGet('/api/v2/spot/public/symbols', 'spot', 20, ({ engine, request }) =>
    listing(engine, 'spot', optionalParam(request.query, 'symbol')),
  ),

  // Spot margin is not simulated: no pair is borrowable, which ccxt reads as margin: false.
  publicGet('/api/v2/margin/currencies', 'spot', 10, () => []),

  // ccxt asks once per product type; only USDT-FUTURES lists anything.
  publicGet('/api/v2/mix/market/contracts', 'futures', 20, ({ engine, request }) =>
    isUsdtFutures(request.query) ? listing(engine, 'futures', optionalParam(request.query, 'symbol')) : [],
  ),

  publicGet('/api/v2/spot/market/tickers', 'spot', 20, ({ engine, request }) => {
    const symbol = optionalParam(request.query, 'symbol');
    if (symbol !== undefined) return [tickerRow(engine, requireInstrument(engine, 'spot', symbol))];
    return engine.instruments('bitget', 'spot').map((instrument) => tickerRow(engine, instrument));
  }),

  publicGet('/api/v2/mix/market/ticker', 'futures', 20, ({ engine, request }) => [
    tickerRow(engine, requireInstrument(engine, 'futures', futuresSymbol(engine, request.query, 'optional'))),
  ]),
];
