import { Decimal } from 'decimal.js';
import type { Instrument, Market, VenueName } from '../../contract';

/** One base instrument as a venue catalogue writes it down: decimals as the venue lists them. */
export interface InstrumentSpec {
  readonly base: string;
  readonly step: string;
  readonly minQty: string;
  /** The cap the engine enforces; for futures the market-order cap, since only market orders fill. */
  readonly maxQty: string;
  readonly tick: string;
  readonly minNotional: string;
  /** 1 for spot. */
  readonly maxLeverage: number;
}

/** The USDT pair of `spec.base` on `venue`, with the venue's taker rate for `market`. */
export function instrumentFromSpec(venue: VenueName, market: Market, spec: InstrumentSpec, takerFeeRate: Decimal): Instrument {
  return {
    venue,
    market,
    symbol: `${spec.base}USDT`,
    base: spec.base,
    quote: 'USDT',
    stepSize: new Decimal(spec.step),
    minQty: new Decimal(spec.minQty),
    maxQty: new Decimal(spec.maxQty),
    tickSize: new Decimal(spec.tick),
    minNotional: new Decimal(spec.minNotional),
    maxLeverage: spec.maxLeverage,
    takerFeeRate,
    synthetic: false,
  };
}
