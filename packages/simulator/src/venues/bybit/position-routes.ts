import { Decimal } from 'decimal.js';
import {
  EngineError,
  type Account,
  type LegHistory,
  type Position,
  type PositionMode,
  type PositionSide,
  type VenueContext,
  type VenueResponse,
} from '../../contract';
import { bybitOk } from './envelope';
import { answering, signedAccount, categoryParam, optionalString, paramsOf, positiveDecimal, requiredString } from './params';
import type { BybitRoute } from './rate-limit';
import { formatDecimal } from '../shared/decimal';

/** Bybit's lowest risk tier keeps 0.5% of the position value as maintenance margin. */
const MAINTENANCE_RATE = new Decimal('0.005');
const ZERO = new Decimal(0);

/** `positionIdx`: 0 is one-way mode's net position, 1 the hedge-mode long leg, 2 the short leg. */
export function positionIdxOf(side: PositionSide): 0 | 1 | 2 {
  if (side === 'long') return 1;
  if (side === 'short') return 2;
  return 0;
}

export function positionSideOf(positionIdx: number): PositionSide | undefined {
  if (positionIdx === 1) return 'long';
  if (positionIdx === 2) return 'short';
  return undefined;
}

export function maintenanceMargin(position: Position): Decimal {
  return position.size.times(position.markPrice).times(MAINTENANCE_RATE).toDecimalPlaces(8);
}

function sideOf(position: Position): 'Buy' | 'Sell' | '' {
  if (position.size.isZero()) return '';
  return position.signedSize.isNegative() ? 'Sell' : 'Buy';
}

/**
 * One `/v5/position/list` entry. Bybit's realised PnL counts trading fees against the position:
 * `curRealisedPnl` is the open position's, `cumRealisedPnl` the leg's over the account's life (it
 * stays when the position closes).
 */
function positionEntry(position: Position, history: LegHistory, now: number): Record<string, unknown> {
  const open = !position.size.isZero();
  return {
    positionIdx: positionIdxOf(position.side),
    riskId: 1,
    riskLimitValue: '2000000',
    symbol: position.symbol,
    side: sideOf(position),
    size: formatDecimal(position.size),
    avgPrice: formatDecimal(position.entryPrice),
    positionValue: formatDecimal(position.size.times(position.entryPrice)),
    tradeMode: 0,
    positionStatus: 'Normal',
    autoAddMargin: 0,
    adlRankIndicator: open ? 2 : 0,
    leverage: String(position.leverage),
    positionBalance: formatDecimal(position.margin),
    markPrice: formatDecimal(position.markPrice),
    liqPrice: '',
    bustPrice: '',
    positionMM: formatDecimal(maintenanceMargin(position)),
    positionIM: formatDecimal(position.margin),
    tpslMode: 'Full',
    takeProfit: '',
    stopLoss: '',
    trailingStop: '0',
    unrealisedPnl: formatDecimal(position.unrealisedPnl),
    curRealisedPnl: formatDecimal(position.realisedPnl.minus(position.fees)),
    cumRealisedPnl: formatDecimal(history.realisedPnl.minus(history.fees)),
    seq: 0,
    isReduceOnly: false,
    mmrSysUpdatedTime: '',
    leverageSysUpdatedTime: '',
    sessionAvgPrice: '',
    createdTime: String(now),
    updatedTime: String(now),
  };
}

/** What Bybit lists for a leg without a position when asked by symbol: size 0, side "". */
function emptyLeg(ctx: VenueContext, account: Account, symbol: string, side: PositionSide): Position {
  return {
    symbol,
    side,
    size: ZERO,
    signedSize: ZERO,
    entryPrice: ZERO,
    leverage: ctx.engine.leverage(account, symbol, side),
    margin: ZERO,
    unrealisedPnl: ZERO,
    markPrice: ctx.engine.markPrice('bybit', symbol),
    realisedPnl: ZERO,
    fees: ZERO,
  };
}

/**
 * `GET /v5/position/list`. Asked by symbol, Bybit answers every leg of the current mode, open or
 * not (one entry in one-way mode, two in hedge mode); asked by settleCoin or baseCoin, only the
 * open positions.
 */
function positionList(ctx: VenueContext): VenueResponse {
  const params = paramsOf(ctx);
  const category = categoryParam(params, ['linear', 'inverse', 'option'] as const);
  const symbol = optionalString(params, 'symbol');
  const settleCoin = optionalString(params, 'settleCoin');
  const baseCoin = optionalString(params, 'baseCoin');
  const now = ctx.engine.now();
  if (symbol === undefined && settleCoin === undefined && baseCoin === undefined) {
    throw new EngineError('INVALID_PARAMETER', 'symbol, settleCoin or baseCoin is required');
  }
  if (category !== 'linear') return bybitOk({ category, list: [], nextPageCursor: '' }, now);
  const account = signedAccount(ctx);
  let positions: Position[];
  if (symbol !== undefined) {
    if (!ctx.engine.instrument('bybit', 'futures', symbol)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
    const open = ctx.engine.positions(account, symbol);
    const legs: readonly PositionSide[] = account.positionMode === 'oneway' ? ['both'] : ['long', 'short'];
    positions = legs.map((leg) => open.find((position) => position.side === leg) ?? emptyLeg(ctx, account, symbol, leg));
  } else {
    positions = ctx.engine.positions(account).filter((position) => {
      const instrument = ctx.engine.instrument('bybit', 'futures', position.symbol);
      return instrument !== undefined && (settleCoin === undefined || instrument.quote === settleCoin) && (baseCoin === undefined || instrument.base === baseCoin);
    });
  }
  const list = positions.map((position) => positionEntry(position, ctx.engine.legHistory(account, position.symbol, position.side), now));
  return bybitOk({ category, list, nextPageCursor: '' }, now);
}

/**
 * `POST /v5/position/set-leverage`. A unified account trades in cross margin, where Bybit requires
 * the same leverage for buys and sells; the engine applies it to every leg of the symbol.
 */
function setLeverage(ctx: VenueContext): VenueResponse {
  const params = paramsOf(ctx);
  categoryParam(params, ['linear'] as const);
  const symbol = requiredString(params, 'symbol');
  const buyLeverage = positiveDecimal(params, 'buyLeverage');
  const sellLeverage = positiveDecimal(params, 'sellLeverage');
  if (!buyLeverage.eq(sellLeverage)) {
    throw new EngineError('INVALID_PARAMETER', 'buyLeverage must be equal to sellLeverage in cross margin mode');
  }
  ctx.engine.setLeverage(signedAccount(ctx), symbol, buyLeverage.toNumber());
  return bybitOk({}, ctx.engine.now());
}

const MODES: Readonly<Record<string, PositionMode>> = { '0': 'oneway', '3': 'hedge' };

/**
 * `POST /v5/position/switch-mode` (mode 0 one-way, 3 hedge). Bybit switches one symbol or every
 * USDT perpetual of a coin; the simulator keeps one mode per account, so either switches all.
 */
function switchMode(ctx: VenueContext): VenueResponse {
  const params = paramsOf(ctx);
  categoryParam(params, ['linear'] as const);
  const mode = MODES[requiredString(params, 'mode')];
  if (mode === undefined) throw new EngineError('INVALID_PARAMETER', 'mode must be 0 (one-way) or 3 (hedge)');
  const symbol = optionalString(params, 'symbol');
  const coin = optionalString(params, 'coin');
  if (symbol === undefined && coin === undefined) throw new EngineError('INVALID_PARAMETER', 'symbol or coin is required');
  if (symbol !== undefined && !ctx.engine.instrument('bybit', 'futures', symbol)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
  if (symbol === undefined && coin !== 'USDT') throw new EngineError('INVALID_PARAMETER', 'coin must be USDT');
  ctx.engine.setPositionMode(signedAccount(ctx), mode);
  return bybitOk({}, ctx.engine.now());
}

export const bybitPositionRoutes: readonly BybitRoute[] = [
  { method: 'GET', path: '/v5/position/list', kind: 'other', signed: true, perSecond: 50, handle: answering(positionList) },
  { method: 'POST', path: '/v5/position/set-leverage', kind: 'other', signed: true, perSecond: 10, handle: answering(setLeverage) },
  { method: 'POST', path: '/v5/position/switch-mode', kind: 'other', signed: true, perSecond: 10, handle: answering(switchMode) },
];
