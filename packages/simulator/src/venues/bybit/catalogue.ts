import { Decimal } from 'decimal.js';
import type { Instrument } from '../../contract';
import { instrumentFromSpec, type InstrumentSpec } from '../shared/instrument-spec';

/** Bybit spot takes 0.1% from a non-VIP taker; USDT perpetuals 0.055%. */
const SPOT_TAKER_FEE = new Decimal('0.001');
const LINEAR_TAKER_FEE = new Decimal('0.00055');

/**
 * Spot lot sizes as Bybit's `instruments-info?category=spot` lists them: `basePrecision` is the step,
 * the minimum order value is 1 USDT.
 */
const SPOT: readonly InstrumentSpec[] = [
  { base: 'BTC', step: '0.000001', minQty: '0.000048', maxQty: '71.739562', tick: '0.01', minNotional: '1', maxLeverage: 1 },
  { base: 'ETH', step: '0.00001', minQty: '0.00062', maxQty: '1229.2336', tick: '0.01', minNotional: '1', maxLeverage: 1 },
  { base: 'SOL', step: '0.001', minQty: '0.007', maxQty: '18000', tick: '0.01', minNotional: '1', maxLeverage: 1 },
  { base: 'XRP', step: '0.01', minQty: '1.5', maxQty: '1000000', tick: '0.0001', minNotional: '1', maxLeverage: 1 },
  { base: 'DOGE', step: '0.1', minQty: '7', maxQty: '5000000', tick: '0.00001', minNotional: '1', maxLeverage: 1 },
];

/**
 * USDT perpetuals as `instruments-info?category=linear` lists them. `maxQty` is the market-order cap
 * (`maxMktOrderQty`), since the simulator only fills market orders; the minimum notional is 5 USDT.
 */
const LINEAR: readonly InstrumentSpec[] = [
  { base: 'BTC', step: '0.001', minQty: '0.001', maxQty: '119', tick: '0.1', minNotional: '5', maxLeverage: 100 },
  { base: 'ETH', step: '0.01', minQty: '0.01', maxQty: '724', tick: '0.01', minNotional: '5', maxLeverage: 100 },
  { base: 'SOL', step: '0.1', minQty: '0.1', maxQty: '7970', tick: '0.01', minNotional: '5', maxLeverage: 100 },
  { base: 'XRP', step: '1', minQty: '1', maxQty: '250000', tick: '0.0001', minNotional: '5', maxLeverage: 75 },
  { base: 'DOGE', step: '1', minQty: '1', maxQty: '2000000', tick: '0.00001', minNotional: '5', maxLeverage: 75 },
];

export const BYBIT_BASE_INSTRUMENTS: readonly Instrument[] = [
  ...SPOT.map((spec) => instrumentFromSpec('bybit', 'spot', spec, SPOT_TAKER_FEE)),
  ...LINEAR.map((spec) => instrumentFromSpec('bybit', 'futures', spec, LINEAR_TAKER_FEE)),
];

/** Roughly what Bybit lists: about 650 spot pairs and 550 USDT perpetuals. */
export const BYBIT_REAL_SCALE = { spot: 650, futures: 550 } as const;

/** A new USDT perpetual position on a Bybit unified account starts at 10x. */
export const BYBIT_DEFAULT_LEVERAGE = 10;
