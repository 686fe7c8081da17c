import { Decimal } from 'decimal.js';
import type { Account, Balance, EngineApi, LedgerOrder, Position } from '../../contract';
import { formatDecimal } from '../shared/decimal';

const ZERO = new Decimal(0);

/** `posMode` as Bitget names the account's position mode. */
export function posModeOf(account: Account): 'hedge_mode' | 'one_way_mode' {
  return account.positionMode === 'hedge' ? 'hedge_mode' : 'one_way_mode';
}

/**
 * Spot `feeDetail`: a JSON document inside a string, the fee negative, keyed by the fee coin
 * (ccxt looks for the entry that has `feeCoinCode`). Written by hand so the fee stays decimal text.
 */
function spotFeeDetail(order: LedgerOrder): string {
  const fee = formatDecimal(order.fee.neg());
  const coin = JSON.stringify(order.feeAsset);
  return (
    `{"newFees":{"c":0,"d":0,"deduction":false,"r":${fee},"t":${fee},"totalDeductionFee":0},` +
    `${coin}:{"deduction":false,"feeCoinCode":${coin},"totalDeductionFee":0,"totalFee":${fee}}}`
  );
}

/**
 * One entry of `/api/v2/spot/trade/orderInfo`. For a market buy Bitget's `size` is the quote amount
 * spent, not the base quantity (ccxt reads `baseVolume` for the amount then).
 */
export function spotOrderRow(order: LedgerOrder, account: Account, base: string): Record<string, unknown> {
  const time = String(order.time);
  return {
    userId: account.uid,
    symbol: order.symbol,
    orderId: order.orderId,
    clientOid: order.clientOrderId,
    price: '0',
    size: formatDecimal(order.side === 'buy' ? order.cost : order.quantity),
    orderType: 'market',
    side: order.side,
    status: 'filled',
    priceAvg: formatDecimal(order.price),
    baseVolume: formatDecimal(order.quantity),
    quoteVolume: formatDecimal(order.cost),
    enterPointSource: 'API',
    feeDetail: spotFeeDetail(order),
    orderSource: 'market',
    cancelReason: '',
    cTime: time,
    uTime: time,
    tpslType: 'normal',
    triggerPrice: null,
    quoteCoin: order.feeAsset,
    baseCoin: base,
  };
}

/**
 * How Bitget describes a futures order. Hedge mode names the leg, not the direction: `side` is
 * `buy` for everything on the long leg (open and close alike), `tradeSide` says open or close and a
 * close carries `reduceOnly: YES` (ccxt flips the side back for those). One-way mode answers
 * `posSide: net` with `tradeSide` `buy_single` / `sell_single`.
 */
function futuresSides(order: LedgerOrder): {
  readonly side: string;
  readonly posSide: string;
  readonly tradeSide: string;
  readonly posMode: string;
} {
  const leg = order.positionSide;
  if (leg === 'long' || leg === 'short') {
    return { side: leg === 'long' ? 'buy' : 'sell', posSide: leg, tradeSide: order.reduceOnly ? 'close' : 'open', posMode: 'hedge_mode' };
  }
  return { side: order.side, posSide: 'net', tradeSide: `${order.side}_single`, posMode: 'one_way_mode' };
}

/** `/api/v2/mix/order/detail`: the fee is negative, `totalProfits` the realised PnL. */
export function futuresOrderRow(order: LedgerOrder, leverage: number): Record<string, unknown> {
  const sides = futuresSides(order);
  const time = String(order.time);
  return {
    symbol: order.symbol,
    size: formatDecimal(order.quantity),
    orderId: order.orderId,
    clientOid: order.clientOrderId,
    baseVolume: formatDecimal(order.quantity),
    fee: formatDecimal(order.fee.neg()),
    price: '0',
    priceAvg: formatDecimal(order.price),
    state: 'filled',
    side: sides.side,
    force: 'gtc',
    totalProfits: formatDecimal(order.realisedPnl),
    posSide: sides.posSide,
    marginCoin: order.feeAsset,
    presetStopSurplusPrice: '',
    presetStopLossPrice: '',
    quoteVolume: formatDecimal(order.cost),
    orderType: 'market',
    leverage: String(leverage),
    marginMode: 'crossed',
    reduceOnly: order.reduceOnly ? 'YES' : 'NO',
    enterPointSource: 'API',
    tradeSide: sides.tradeSide,
    posMode: sides.posMode,
    orderSource: 'market',
    cancelReason: '',
    cTime: time,
    uTime: time,
  };
}

/**
 * One entry of `all-position` / `single-position`; one-way mode names the net side long or short.
 * `achievedProfits` is what the open position has realised, fees not included; `deductedFee` the
 * trading fees it has paid; `totalFee` is funding, which the simulator never charges.
 */
export function positionRow(position: Position, account: Account, now: number): Record<string, unknown> {
  const holdSide = position.side === 'both' ? (position.signedSize.isNegative() ? 'short' : 'long') : position.side;
  const time = String(now);
  return {
    marginCoin: 'USDT',
    symbol: position.symbol,
    holdSide,
    openDelegateSize: '0',
    marginSize: formatDecimal(position.margin),
    available: formatDecimal(position.size),
    locked: '0',
    total: formatDecimal(position.size),
    leverage: String(position.leverage),
    achievedProfits: formatDecimal(position.realisedPnl),
    openPriceAvg: formatDecimal(position.entryPrice),
    marginMode: 'crossed',
    posMode: posModeOf(account),
    unrealizedPL: formatDecimal(position.unrealisedPnl),
    liquidationPrice: '0',
    keepMarginRate: '0.004',
    markPrice: formatDecimal(position.markPrice),
    marginRatio: '0',
    breakEvenPrice: formatDecimal(position.entryPrice),
    totalFee: '0',
    deductedFee: formatDecimal(position.fees),
    autoMargin: 'off',
    cTime: time,
    uTime: time,
  };
}

/** `/api/v2/spot/account/assets`: ccxt takes `available` as free and `frozen + locked` as used. */
export function spotAssetRow(balance: Balance, now: number): Record<string, string> {
  return {
    coin: balance.asset,
    available: formatDecimal(balance.free),
    frozen: '0',
    locked: formatDecimal(balance.locked),
    limitAvailable: '0',
    uTime: String(now),
  };
}

/** The USDT-M account's figures: equity is free balance plus position margin plus unrealised PnL. */
export interface FuturesAccountFigures {
  readonly free: Decimal;
  readonly margin: Decimal;
  readonly unrealisedPnl: Decimal;
  readonly equity: Decimal;
  readonly btcEquity: Decimal;
}

export function futuresAccountFigures(engine: EngineApi, account: Account): FuturesAccountFigures {
  const usdt = engine.balances(account, 'futures').find((balance) => balance.asset === 'USDT');
  const free = usdt?.free ?? ZERO;
  const margin = usdt?.locked ?? ZERO;
  const unrealisedPnl = engine.positions(account).reduce((sum, position) => sum.plus(position.unrealisedPnl), ZERO);
  const equity = free.plus(margin).plus(unrealisedPnl);
  const btc = engine.instrument('bitget', 'futures', 'BTCUSDT') ? engine.markPrice('bitget', 'BTCUSDT') : undefined;
  const btcEquity = btc ? equity.div(btc).toDecimalPlaces(8, Decimal.ROUND_DOWN) : ZERO;
  return { free, margin, unrealisedPnl, equity, btcEquity };
}

/**
 * `/api/v2/mix/account/accounts`: ccxt takes `maxTransferOut` as free and `accountEquity` as total.
 * `locked` is what open orders freeze, always nothing here; position margin is `crossedMargin`.
 */
export function futuresAccountRow(figures: FuturesAccountFigures): Record<string, unknown> {
  const free = formatDecimal(figures.free);
  const equity = formatDecimal(figures.equity);
  const upl = formatDecimal(figures.unrealisedPnl);
  return {
    marginCoin: 'USDT',
    locked: '0',
    available: free,
    crossedMaxAvailable: free,
    isolatedMaxAvailable: free,
    maxTransferOut: free,
    accountEquity: equity,
    usdtEquity: equity,
    btcEquity: formatDecimal(figures.btcEquity),
    crossedRiskRate: '0',
    unrealizedPL: upl,
    coupon: '0',
    // Trial funds; empty on an account without any, as both of ccxt's recordings show it.
    grant: '',
    unionTotalMargin: equity,
    unionAvailable: free,
    unionMm: '0',
    assetList: [],
    isolatedMargin: '0',
    crossedMargin: formatDecimal(figures.margin),
    crossedUnrealizedPL: upl,
    isolatedUnrealizedPL: '0',
    assetMode: 'single',
  };
}
