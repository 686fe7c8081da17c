import { Decimal } from 'decimal.js';
import { EngineError, type Instrument, type PlaceOrderRequest, type PositionSide } from './contract';
import { credit, freeOf, positionKey, ZERO, type PositionState, type SimAccount } from './engine-account';

/** What an execution changed, for the ledger. */
export interface Fill {
  readonly quantity: Decimal;
  readonly fee: Decimal;
  /** The asset the fee was taken in: what a spot order received, the margin asset on futures. */
  readonly feeAsset: string;
  readonly realisedPnl: Decimal;
  readonly positionSide?: PositionSide;
}

function checkNotional(instrument: Instrument, quantity: Decimal, price: Decimal): void {
  if (quantity.times(price).lt(instrument.minNotional)) {
    throw new EngineError(
      'NOTIONAL_BELOW_MIN',
      `Order notional ${quantity.times(price).toString()} is below the minimum ${instrument.minNotional.toString()}`,
    );
  }
}

/**
 * Spot market order. The fee is taken from what the order receives, as Binance, Bybit and Bitget
 * charge a taker without a fee-token discount: a buy spends quantity × price of quote and receives
 * quantity × (1 − rate) of base; a sell gives the quantity and receives quantity × price × (1 − rate)
 * of quote.
 */
export function executeSpotOrder(account: SimAccount, instrument: Instrument, request: PlaceOrderRequest, price: Decimal): Fill {
  checkNotional(instrument, request.quantity, price);
  const cost = request.quantity.times(price);
  const wallet = account.spot;
  if (request.side === 'buy') {
    const available = freeOf(wallet, instrument.quote);
    if (available.lt(cost)) {
      throw new EngineError('INSUFFICIENT_BALANCE', `Insufficient ${instrument.quote}: need ${cost.toString()}, have ${available.toString()}`);
    }
    const fee = request.quantity.times(instrument.takerFeeRate);
    credit(wallet, instrument.quote, cost.neg());
    credit(wallet, instrument.base, request.quantity.minus(fee));
    return { quantity: request.quantity, fee, feeAsset: instrument.base, realisedPnl: ZERO };
  }
  const available = freeOf(wallet, instrument.base);
  if (available.lt(request.quantity)) {
    throw new EngineError('INSUFFICIENT_BALANCE', `Insufficient ${instrument.base}: need ${request.quantity.toString()}, have ${available.toString()}`);
  }
  const fee = cost.times(instrument.takerFeeRate);
  credit(wallet, instrument.base, request.quantity.neg());
  credit(wallet, instrument.quote, cost.minus(fee));
  return { quantity: request.quantity, fee, feeAsset: instrument.quote, realisedPnl: ZERO };
}

interface FuturesPlan {
  readonly leg: PositionSide;
  readonly position: PositionState | undefined;
  /** Quantity that reduces the existing leg. */
  readonly closing: Decimal;
  /** Quantity that opens or increases (+1 long, -1 short by `direction`). */
  readonly opening: Decimal;
  readonly direction: 1 | -1;
}

/**
 * Splits an order into the part that reduces an existing position and the part that opens one.
 * One-way: one net leg (`both`); an opposite order reduces, then flips with the remainder.
 * Hedge: `long` and `short` legs; buy-long and sell-short open, sell-long and buy-short close.
 * Reduce-only never opens: it is refused without a position or in the increasing direction. Above
 * the position's size it is trimmed to it or refused, by `aboveLeg` (`rules.reduceOnlyAbovePosition`);
 * so is a hedge-mode close, which is reduce-only by its nature.
 */
function planFuturesOrder(account: SimAccount, request: PlaceOrderRequest, aboveLeg: 'trim' | 'refuse'): FuturesPlan {
  const quantity = request.quantity;
  const reduceOnly = request.reduceOnly === true;
  if (account.positionMode === 'oneway') {
    if (request.positionSide !== undefined && request.positionSide !== 'both') {
      throw new EngineError('POSITION_SIDE_MISMATCH', `positionSide ${request.positionSide} sent in one-way mode`);
    }
    const position = account.positions.get(positionKey(request.symbol, 'both'));
    const direction = request.side === 'buy' ? 1 : -1;
    const held = position?.signedSize ?? ZERO;
    const reduces = !held.isZero() && held.isNegative() === (direction === 1);
    const closing = reduces ? Decimal.min(quantity, held.abs()) : ZERO;
    if (reduceOnly) {
      if (held.isZero()) throw new EngineError('REDUCE_ONLY_NO_POSITION', `No position in ${request.symbol} to reduce`);
      if (!reduces) throw new EngineError('REDUCE_ONLY_WOULD_INCREASE', `Reduce-only ${request.side} would increase the ${request.symbol} position`);
      if (aboveLeg === 'refuse' && quantity.gt(held.abs())) {
        throw new EngineError('REDUCE_ONLY_WOULD_INCREASE', `Reduce-only ${request.side} of ${quantity.toString()} is larger than the ${request.symbol} position ${held.abs().toString()}`);
      }
      return { leg: 'both', position, closing, opening: ZERO, direction };
    }
    return { leg: 'both', position, closing, opening: quantity.minus(closing), direction };
  }
  const leg = request.positionSide;
  if (leg !== 'long' && leg !== 'short') {
    throw new EngineError('POSITION_SIDE_MISMATCH', 'Hedge mode needs positionSide long or short');
  }
  const position = account.positions.get(positionKey(request.symbol, leg));
  const direction = leg === 'long' ? 1 : -1;
  const opens = (request.side === 'buy') === (leg === 'long');
  if (opens) {
    if (reduceOnly) throw new EngineError('REDUCE_ONLY_WOULD_INCREASE', `Reduce-only ${request.side} would increase the ${leg} leg`);
    return { leg, position, closing: ZERO, opening: quantity, direction };
  }
  if (!position) throw new EngineError('REDUCE_ONLY_NO_POSITION', `No ${leg} position in ${request.symbol} to close`);
  if (aboveLeg === 'refuse' && quantity.gt(position.signedSize.abs())) {
    throw new EngineError('REDUCE_ONLY_WOULD_INCREASE', `Closing ${quantity.toString()} is larger than the ${leg} leg ${position.signedSize.abs().toString()}`);
  }
  return { leg, position, closing: Decimal.min(quantity, position.signedSize.abs()), opening: ZERO, direction };
}

/**
 * Futures market order against the futures wallet (Bybit: the unified wallet). Opening takes
 * initial margin = notional / leverage plus the taker fee from free balance into locked; closing
 * releases the leg's margin pro rata and credits the realised PnL. The fee is paid in the margin
 * asset; the share of it on the closing quantity is booked to the leg being closed, the rest to the
 * leg opened. All checks run before any change.
 */
export function executeFuturesOrder(
  account: SimAccount,
  instrument: Instrument,
  request: PlaceOrderRequest,
  price: Decimal,
  leverage: (leg: PositionSide) => number,
  aboveLeg: 'trim' | 'refuse' = 'trim',
): Fill {
  const plan = planFuturesOrder(account, request, aboveLeg);
  const { position, closing, opening } = plan;
  if (opening.gt(0)) checkNotional(instrument, request.quantity, price);
  const filled = closing.plus(opening);
  const closingFee = closing.times(price).times(instrument.takerFeeRate);
  const openingFee = opening.times(price).times(instrument.takerFeeRate);
  const fee = closingFee.plus(openingFee);
  let released = ZERO;
  let realisedPnl = ZERO;
  let closesAll = false;
  if (position && closing.gt(0)) {
    const held = position.signedSize.abs();
    closesAll = closing.eq(held);
    released = closesAll ? position.margin : position.margin.times(closing).div(held);
    const longSign = position.signedSize.isNegative() ? -1 : 1;
    realisedPnl = price.minus(position.entryPrice).times(closing).times(longSign);
  }
  const openMargin = opening.gt(0) ? opening.times(price).div(leverage(plan.leg)) : ZERO;
  const wallet = account.futures;
  const asset = instrument.quote;
  const free = freeOf(wallet, asset);
  if (opening.gt(0)) {
    const available = free.plus(released).plus(realisedPnl).minus(fee);
    if (available.lt(openMargin)) {
      throw new EngineError(
        'INSUFFICIENT_BALANCE',
        `Insufficient margin: need ${openMargin.plus(fee).toString()} ${asset}, have ${free.toString()}`,
      );
    }
  }
  credit(wallet, asset, released.plus(realisedPnl).minus(fee).minus(openMargin));
  const entry = wallet.get(asset);
  if (entry) entry.locked = entry.locked.plus(openMargin).minus(released);

  const key = positionKey(request.symbol, plan.leg);
  if (position && closing.gt(0)) {
    if (closesAll) account.positions.delete(key);
    else {
      position.signedSize = position.signedSize.minus(closing.times(position.signedSize.isNegative() ? -1 : 1));
      position.margin = position.margin.minus(released);
      position.realisedPnl = position.realisedPnl.plus(realisedPnl);
      position.fees = position.fees.plus(closingFee);
    }
  }
  if (opening.gt(0)) {
    const current = account.positions.get(key);
    if (current) {
      const size = current.signedSize.abs();
      current.entryPrice = current.entryPrice.times(size).plus(price.times(opening)).div(size.plus(opening));
      current.signedSize = current.signedSize.plus(opening.times(plan.direction));
      current.margin = current.margin.plus(openMargin);
      current.fees = current.fees.plus(openingFee);
    } else {
      account.positions.set(key, {
        symbol: request.symbol,
        side: plan.leg,
        signedSize: opening.times(plan.direction),
        entryPrice: price,
        margin: openMargin,
        realisedPnl: ZERO,
        fees: openingFee,
      });
    }
  }
  const totals = account.legTotals.get(key);
  if (totals) {
    totals.realisedPnl = totals.realisedPnl.plus(realisedPnl);
    totals.fees = totals.fees.plus(fee);
  } else {
    account.legTotals.set(key, { realisedPnl, fees: fee });
  }
  return { quantity: filled, fee, feeAsset: asset, realisedPnl, positionSide: plan.leg };
}
