import { Decimal } from 'decimal.js';
import type { Instrument } from '../../contract';
import { formatDecimal } from '../shared/decimal';
import { instrumentFromSpec, type InstrumentSpec } from '../shared/instrument-spec';

/** Bitget's non-VIP taker rates: 0.1% on spot, 0.06% on USDT-M futures (maker 0.02%). */
const SPOT_TAKER_FEE = new Decimal('0.001');
const SPOT_MAKER_FEE = new Decimal('0.001');
const FUTURES_TAKER_FEE = new Decimal('0.0006');
const FUTURES_MAKER_FEE = new Decimal('0.0002');

/**
 * Spot pairs as `/api/v2/spot/public/symbols` lists them: `quantityPrecision` and `pricePrecision`
 * are decimal places, so every step and tick is a power of ten; `minTradeUSDT` is 1.
 */
const SPOT: readonly InstrumentSpec[] = [
  { base: 'BTC', step: '0.000001', minQty: '0.000001', maxQty: '10000000000', tick: '0.01', minNotional: '1', maxLeverage: 1 },
  { base: 'ETH', step: '0.0001', minQty: '0.0001', maxQty: '10000000000', tick: '0.01', minNotional: '1', maxLeverage: 1 },
  { base: 'SOL', step: '0.001', minQty: '0.001', maxQty: '10000000000', tick: '0.01', minNotional: '1', maxLeverage: 1 },
  { base: 'XRP', step: '0.01', minQty: '0.01', maxQty: '10000000000', tick: '0.0001', minNotional: '1', maxLeverage: 1 },
  { base: 'DOGE', step: '0.0001', minQty: '0.0001', maxQty: '10000000000', tick: '0.00001', minNotional: '1', maxLeverage: 1 },
];

/**
 * USDT-M perpetuals as `/api/v2/mix/market/contracts?productType=USDT-FUTURES` lists them:
 * `sizeMultiplier` is the step and equals `minTradeNum`, `minTradeUSDT` is 5, and `maxQty` is
 * `maxMarketOrderQty` because the simulator only fills market orders.
 */
const FUTURES: readonly InstrumentSpec[] = [
  { base: 'BTC', step: '0.0001', minQty: '0.0001', maxQty: '100', tick: '0.1', minNotional: '5', maxLeverage: 125 },
  { base: 'ETH', step: '0.01', minQty: '0.01', maxQty: '1500', tick: '0.01', minNotional: '5', maxLeverage: 100 },
  { base: 'SOL', step: '0.1', minQty: '0.1', maxQty: '10000', tick: '0.001', minNotional: '5', maxLeverage: 75 },
  { base: 'XRP', step: '1', minQty: '1', maxQty: '1000000', tick: '0.0001', minNotional: '5', maxLeverage: 75 },
  { base: 'DOGE', step: '1', minQty: '1', maxQty: '5000000', tick: '0.00001', minNotional: '5', maxLeverage: 75 },
];

export const BITGET_BASE_INSTRUMENTS: readonly Instrument[] = [
  ...SPOT.map((spec) => instrumentFromSpec('bitget', 'spot', spec, SPOT_TAKER_FEE)),
  ...FUTURES.map((spec) => instrumentFromSpec('bitget', 'futures', spec, FUTURES_TAKER_FEE)),
];

/** Roughly what Bitget lists: about 800 spot pairs and 500 USDT-M perpetuals. */
export const BITGET_REAL_SCALE = { spot: 800, futures: 500 } as const;

/** A tick as Bitget splits it: `pricePlace` decimals and `priceEndStep` units of the last one. */
function priceStepParts(tick: Decimal): { readonly pricePlace: string; readonly priceEndStep: string } {
  const places = tick.decimalPlaces();
  return { pricePlace: String(places), priceEndStep: formatDecimal(tick.times(new Decimal(10).pow(places))) };
}

/** One row of `/api/v2/spot/public/symbols`. */
export function spotSymbolRow(instrument: Instrument): Record<string, string> {
  return {
    symbol: instrument.symbol,
    baseCoin: instrument.base,
    quoteCoin: instrument.quote,
    minTradeAmount: formatDecimal(instrument.minQty),
    maxTradeAmount: formatDecimal(instrument.maxQty),
    takerFeeRate: formatDecimal(instrument.takerFeeRate),
    makerFeeRate: formatDecimal(SPOT_MAKER_FEE),
    pricePrecision: String(instrument.tickSize.decimalPlaces()),
    quantityPrecision: String(instrument.stepSize.decimalPlaces()),
    quotePrecision: String(Math.max(instrument.tickSize.decimalPlaces(), 6)),
    status: 'online',
    minTradeUSDT: formatDecimal(instrument.minNotional),
    buyLimitPriceRatio: '0.05',
    sellLimitPriceRatio: '0.05',
    areaSymbol: 'no',
    orderQuantity: '200',
    openTime: '1532454360000',
    offTime: '',
  };
}

/** One row of `/api/v2/mix/market/contracts?productType=USDT-FUTURES`. */
export function contractRow(instrument: Instrument): Record<string, unknown> {
  const { pricePlace, priceEndStep } = priceStepParts(instrument.tickSize);
  return {
    symbol: instrument.symbol,
    baseCoin: instrument.base,
    quoteCoin: instrument.quote,
    buyLimitPriceRatio: '0.01',
    sellLimitPriceRatio: '0.01',
    feeRateUpRatio: '0.005',
    makerFeeRate: formatDecimal(FUTURES_MAKER_FEE),
    takerFeeRate: formatDecimal(instrument.takerFeeRate),
    openCostUpRatio: '0.01',
    supportMarginCoins: [instrument.quote],
    minTradeNum: formatDecimal(instrument.minQty),
    priceEndStep,
    volumePlace: String(instrument.stepSize.decimalPlaces()),
    pricePlace,
    sizeMultiplier: formatDecimal(instrument.stepSize),
    symbolType: 'perpetual',
    minTradeUSDT: formatDecimal(instrument.minNotional),
    maxSymbolOrderNum: '200',
    maxProductOrderNum: '400',
    maxPositionNum: '150',
    symbolStatus: 'normal',
    offTime: '-1',
    limitOpenTime: '-1',
    deliveryTime: '',
    deliveryStartTime: '',
    deliveryPeriod: '',
    launchTime: '',
    fundInterval: '8',
    minLever: '1',
    maxLever: String(instrument.maxLeverage),
    posLimit: '0.05',
    maintainTime: '',
    maxMarketOrderQty: formatDecimal(instrument.maxQty),
    maxOrderQty: formatDecimal(instrument.maxQty.times(5)),
  };
}

/** The chain and withdrawal fee each coin lists; padding coins travel as ERC-20 tokens. */
const CHAINS: Readonly<Record<string, readonly [string, string]>> = {
  USDT: ['TRC20', '1.5'],
  BTC: ['BTC', '0.0002'],
  ETH: ['ERC20', '0.0015'],
  SOL: ['SOL', '0.01'],
  XRP: ['XRP', '0.25'],
  DOGE: ['DOGE', '4'],
};

/** One row of `/api/v2/spot/public/coins` (ccxt's fetchCurrencies, called by loadMarkets). */
export function coinRow(coin: string, index: number): Record<string, unknown> {
  const [chain, withdrawFee] = CHAINS[coin] ?? ['ERC20', '1'];
  return {
    coinId: String(index + 1),
    coin,
    transfer: 'true',
    chains: [
      {
        chain,
        needTag: chain === 'XRP' ? 'true' : 'false',
        withdrawable: 'true',
        rechargeable: 'true',
        withdrawFee,
        extraWithdrawFee: '0',
        depositConfirm: '12',
        withdrawConfirm: '64',
        minDepositAmount: '0',
        minWithdrawAmount: withdrawFee,
        browserUrl: '',
        contractAddress: null,
        withdrawStep: '0',
        withdrawMinScale: '8',
        congestion: 'normal',
      },
    ],
    areaCoin: 'no',
  };
}
