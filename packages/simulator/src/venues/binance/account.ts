import { toContracts } from './contracts';
import { Decimal } from 'decimal.js';
import type { Account, EngineApi, Instrument, Position, PositionSide } from '../../contract';
import { positionSideWire, spot8 } from './orders';

const ZERO = new Decimal(0);

/** `GET /api/v3/account`: commission rates in basis points, the spot wallet's free and locked. */
export function spotAccount(engine: EngineApi, account: Account): Record<string, unknown> {
  const now = engine.now();
  return {
    makerCommission: 10,
    takerCommission: 10,
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: now,
    accountType: 'SPOT',
    balances: engine.balances(account, 'spot').map((balance) => ({
      asset: balance.asset,
      free: spot8(balance.free),
      locked: spot8(balance.locked),
    })),
    permissions: ['SPOT'],
    uid: Number(account.uid),
  };
}

interface FuturesTotals {
  readonly walletBalance: Decimal;
  readonly unrealisedPnl: Decimal;
  readonly initialMargin: Decimal;
  readonly available: Decimal;
}

/**
 * Cross margin on one USDT wallet: the wallet balance is free plus the margin the engine locked,
 * the margin balance adds unrealised PnL, and what is available is the margin balance less the
 * initial margin of the open positions.
 */
function futuresTotals(engine: EngineApi, account: Account, asset: string, positions: readonly Position[]): FuturesTotals {
  const entry = engine.balances(account, 'futures').find((balance) => balance.asset === asset);
  const free = entry?.free ?? ZERO;
  const locked = entry?.locked ?? ZERO;
  const unrealisedPnl = positions.reduce((sum, position) => sum.plus(position.unrealisedPnl), ZERO);
  return { walletBalance: free.plus(locked), unrealisedPnl, initialMargin: locked, available: free.plus(unrealisedPnl) };
}

const V2_ACCOUNT_FLAGS = {
  feeTier: 0,
  canTrade: true,
  canDeposit: true,
  canWithdraw: true,
  feeBurn: false,
  multiAssetsMargin: false,
  tradeGroupId: -1,
  updateTime: 0,
} as const;

function money(value: Decimal): string {
  return value.toFixed(8);
}

function accountPosition(position: Position, now: number, instrument: Instrument | undefined): Record<string, unknown> {
  return {
    symbol: position.symbol,
    positionSide: positionSideWire(position.side),
    positionAmt: toContracts(instrument, position.signedSize).toFixed(),
    unrealizedProfit: money(position.unrealisedPnl),
    isolatedMargin: '0',
    notional: money(position.signedSize.times(position.markPrice)),
    isolatedWallet: '0',
    initialMargin: money(position.margin),
    maintMargin: money(position.size.times(position.markPrice).times('0.004')),
    updateTime: now,
  };
}

/**
 * `GET /fapi/v3/account` (and v2, which adds per-position leverage): totals, the USDT asset and the
 * open positions. `updateTime` is never 0 for a funded asset; ccxt skips assets whose time is 0.
 */
export function futuresAccount(engine: EngineApi, account: Account, version: 2 | 3): Record<string, unknown> {
  const now = engine.now();
  const positions = engine.positions(account);
  const assets = engine.balances(account, 'futures').map((balance) => {
    const totals = futuresTotals(engine, account, balance.asset, balance.asset === 'USDT' ? positions : []);
    return {
      asset: balance.asset,
      walletBalance: money(totals.walletBalance),
      unrealizedProfit: money(totals.unrealisedPnl),
      marginBalance: money(totals.walletBalance.plus(totals.unrealisedPnl)),
      maintMargin: '0.00000000',
      initialMargin: money(totals.initialMargin),
      positionInitialMargin: money(totals.initialMargin),
      openOrderInitialMargin: '0.00000000',
      crossWalletBalance: money(totals.walletBalance),
      crossUnPnl: money(totals.unrealisedPnl),
      availableBalance: money(totals.available),
      maxWithdrawAmount: money(Decimal.max(totals.available, 0)),
      ...(version === 2 ? { marginAvailable: true } : {}),
      updateTime: now,
    };
  });
  const usdt = futuresTotals(engine, account, 'USDT', positions);
  return {
    ...(version === 2 ? V2_ACCOUNT_FLAGS : {}),
    totalInitialMargin: money(usdt.initialMargin),
    totalMaintMargin: '0.00000000',
    totalWalletBalance: money(usdt.walletBalance),
    totalUnrealizedProfit: money(usdt.unrealisedPnl),
    totalMarginBalance: money(usdt.walletBalance.plus(usdt.unrealisedPnl)),
    totalPositionInitialMargin: money(usdt.initialMargin),
    totalOpenOrderInitialMargin: '0.00000000',
    totalCrossWalletBalance: money(usdt.walletBalance),
    totalCrossUnPnl: money(usdt.unrealisedPnl),
    availableBalance: money(usdt.available),
    maxWithdrawAmount: money(Decimal.max(usdt.available, 0)),
    assets,
    positions: positions.map((position) => ({
      ...accountPosition(position, now, engine.instrument('binance', 'futures', position.symbol)),
      // v2 still lists each position's leverage; v3 moved it to /fapi/v1/symbolConfig.
      ...(version === 2
        ? { leverage: String(position.leverage), isolated: false, entryPrice: position.entryPrice.toFixed(), maxNotional: '1000000' }
        : {}),
    })),
  };
}

/** `GET /fapi/v3/positionRisk`: open positions only, without leverage or margin type (as v3 answers). */
export function positionRiskV3(position: Position, now: number, instrument: Instrument | undefined): Record<string, unknown> {
  return {
    symbol: position.symbol,
    positionSide: positionSideWire(position.side),
    positionAmt: toContracts(instrument, position.signedSize).toFixed(),
    entryPrice: position.entryPrice.toFixed(),
    breakEvenPrice: position.entryPrice.toFixed(),
    markPrice: position.markPrice.toFixed(),
    unRealizedProfit: money(position.unrealisedPnl),
    liquidationPrice: '0',
    isolatedMargin: '0',
    notional: money(position.signedSize.times(position.markPrice)),
    marginAsset: 'USDT',
    isolatedWallet: '0',
    initialMargin: money(position.margin),
    maintMargin: money(position.size.times(position.markPrice).times('0.004')),
    positionInitialMargin: money(position.margin),
    openOrderInitialMargin: '0',
    adl: 0,
    bidNotional: '0',
    askNotional: '0',
    updateTime: now,
  };
}

/**
 * `GET /fapi/v2/positionRisk`: one entry per symbol and leg whether open or not (one-way: BOTH;
 * hedge: LONG and SHORT), with the leg's leverage and margin type.
 */
export function positionRiskV2(
  engine: EngineApi,
  account: Account,
  instruments: readonly Instrument[],
): Record<string, unknown>[] {
  const open = new Map(engine.positions(account).map((position) => [`${position.symbol} ${position.side}`, position]));
  const legs: readonly PositionSide[] = account.positionMode === 'hedge' ? ['long', 'short'] : ['both'];
  const now = engine.now();
  const out: Record<string, unknown>[] = [];
  for (const instrument of instruments) {
    for (const leg of legs) {
      const position = open.get(`${instrument.symbol} ${leg}`);
      const markPrice = engine.markPrice('binance', instrument.symbol);
      out.push({
        symbol: instrument.symbol,
        positionAmt: position ? toContracts(instrument, position.signedSize).toFixed() : '0',
        entryPrice: position ? position.entryPrice.toFixed() : '0.0',
        breakEvenPrice: position ? position.entryPrice.toFixed() : '0.0',
        markPrice: markPrice.toFixed(),
        unRealizedProfit: money(position ? position.unrealisedPnl : ZERO),
        liquidationPrice: '0',
        leverage: String(engine.leverage(account, instrument.symbol, leg)),
        maxNotionalValue: '1000000',
        marginType: 'cross',
        isolatedMargin: '0.00000000',
        isAutoAddMargin: 'false',
        positionSide: positionSideWire(leg),
        notional: position ? money(position.signedSize.times(markPrice)) : '0',
        isolatedWallet: '0',
        updateTime: position ? now : 0,
      });
    }
  }
  return out;
}

/**
 * `GET /fapi/v1/leverageBracket`: notional tiers whose maximum leverage falls from the symbol's
 * maximum, maintenance margin rising with them (ccxt reads floors and ratios for positions).
 */
export function leverageBrackets(instrument: Instrument): Record<string, unknown> {
  const tiers: readonly (readonly [number, number, string])[] = [
    [0, 50_000, '0.004'],
    [50_000, 500_000, '0.005'],
    [500_000, 10_000_000, '0.01'],
    [10_000_000, 50_000_000, '0.025'],
  ];
  let cum = new Decimal(0);
  return {
    symbol: instrument.symbol,
    brackets: tiers.map(([floor, cap, ratio], index) => {
      const initialLeverage = Math.max(1, Math.floor(instrument.maxLeverage / 2 ** index));
      if (index > 0) {
        const previous = tiers[index - 1];
        if (previous) cum = cum.plus(new Decimal(floor).times(new Decimal(ratio).minus(previous[2])));
      }
      return { bracket: index + 1, initialLeverage, notionalCap: cap, notionalFloor: floor, maintMarginRatio: Number(ratio), cum: cum.toNumber() };
    }),
  };
}

/**
 * `GET /fapi/v1/symbolConfig`: the leverage and margin type ccxt's fetchLeverage(s) reads.
 * `isAutoAddMargin` is a JSON boolean here (ccxt's recorded answer), unlike positionRisk's string.
 */
export function symbolConfig(engine: EngineApi, account: Account, instrument: Instrument): Record<string, unknown> {
  const leg: PositionSide = account.positionMode === 'hedge' ? 'long' : 'both';
  return {
    symbol: instrument.symbol,
    marginType: 'CROSSED',
    isAutoAddMargin: false,
    leverage: engine.leverage(account, instrument.symbol, leg),
    maxNotionalValue: '1000000',
  };
}
