import { Decimal } from 'decimal.js';
import type { Instrument } from '../../contract';
import { instrumentFromSpec, type InstrumentSpec } from '../shared/instrument-spec';

/** `maxQty` is LOT_SIZE's on spot and MARKET_LOT_SIZE's on futures, the cap a market order meets. */
interface Spec extends InstrumentSpec {
  /** Futures only: LOT_SIZE's larger cap for limit orders, listed but never reached by a market order. */
  readonly limitMaxQty?: string;
}

/** A regular (VIP 0) account pays 0.1% as spot taker and 0.05% as USDⓈ-M taker. */
const SPOT_TAKER_FEE = new Decimal('0.001');
const FUTURES_TAKER_FEE = new Decimal('0.0005');

/** Spot filters as `GET /api/v3/exchangeInfo` lists them; the NOTIONAL minimum is 5 USDT. */
const SPOT: readonly Spec[] = [
  { base: 'BTC', step: '0.00001', minQty: '0.00001', maxQty: '9000', tick: '0.01', minNotional: '5', maxLeverage: 1 },
  { base: 'ETH', step: '0.0001', minQty: '0.0001', maxQty: '9000', tick: '0.01', minNotional: '5', maxLeverage: 1 },
  { base: 'SOL', step: '0.001', minQty: '0.001', maxQty: '9000000', tick: '0.01', minNotional: '5', maxLeverage: 1 },
  { base: 'XRP', step: '0.1', minQty: '0.1', maxQty: '9222449', tick: '0.0001', minNotional: '5', maxLeverage: 1 },
  { base: 'DOGE', step: '1', minQty: '1', maxQty: '9000000', tick: '0.00001', minNotional: '5', maxLeverage: 1 },
];

/**
 * USDⓈ-M perpetuals as `GET /fapi/v1/exchangeInfo` lists them (MIN_NOTIONAL 100 USDT on BTC, 20 on
 * ETH, 5 elsewhere) with the first leverage bracket's maximum.
 */
const FUTURES: readonly Spec[] = [
  { base: 'BTC', step: '0.001', minQty: '0.001', maxQty: '120', limitMaxQty: '1000', tick: '0.1', minNotional: '100', maxLeverage: 125 },
  { base: 'ETH', step: '0.001', minQty: '0.001', maxQty: '2000', limitMaxQty: '10000', tick: '0.01', minNotional: '20', maxLeverage: 125 },
  { base: 'SOL', step: '1', minQty: '1', maxQty: '5000', limitMaxQty: '1000000', tick: '0.01', minNotional: '5', maxLeverage: 100 },
  { base: 'XRP', step: '0.1', minQty: '0.1', maxQty: '2000000', limitMaxQty: '10000000', tick: '0.0001', minNotional: '5', maxLeverage: 75 },
  { base: 'DOGE', step: '1', minQty: '1', maxQty: '30000000', limitMaxQty: '50000000', tick: '0.00001', minNotional: '5', maxLeverage: 75 },
];

export const BINANCE_BASE_INSTRUMENTS: readonly Instrument[] = [
  ...SPOT.map((spec) => instrumentFromSpec('binance', 'spot', spec, SPOT_TAKER_FEE)),
  ...FUTURES.map((spec) => instrumentFromSpec('binance', 'futures', spec, FUTURES_TAKER_FEE)),
];

const LIMIT_MAX_QTY = new Map(FUTURES.map((spec) => [`${spec.base}USDT`, new Decimal(spec.limitMaxQty ?? spec.maxQty)]));

/** LOT_SIZE's cap of a perpetual (limit orders); synthetic symbols keep their market cap. */
export function futuresLimitMaxQty(instrument: Instrument): Decimal {
  return (instrument.synthetic ? undefined : LIMIT_MAX_QTY.get(instrument.symbol)) ?? instrument.maxQty;
}

/**
 * Binance's `exchangeInfo` lists about 3,000 spot symbols (trading and halted) and about 500 USDⓈ-M
 * contracts; `loadMarkets()` against the real venue parses all of them.
 */
export const BINANCE_REAL_SCALE = { spot: 3000, futures: 500 } as const;

/** A USDⓈ-M symbol the account never touched trades at 20x (capped at the symbol's maximum). */
export const BINANCE_DEFAULT_LEVERAGE = 20;
