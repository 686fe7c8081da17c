import { Decimal } from 'decimal.js';
import type { EngineError, EngineErrorCode, VenueResponse } from '../../contract';
import { bybitFail, PARAMS_ERROR } from './envelope';

/** Spot and USDT perpetuals answer some refusals with different codes (170xxx vs 110xxx). */
export type BybitCategory = 'spot' | 'linear';

interface Refusal {
  readonly retCode: number;
  readonly retMsg: string;
}

type PerCategory = Refusal | Readonly<Record<BybitCategory, Refusal>>;

const CONTRACTS_ABOVE_MAXIMUM = 'The number of contracts exceeds maximum limit allowed: too large';

/** Bybit writes the two quantities of this refusal in units of 10^-8 of the base coin. */
const QTY_UNITS = new Decimal('1e8');

/** The perpetual refusal of a quantity above the market-order cap, with both figures as Bybit gives them. */
export function contractsAboveMaximum(quantity: Decimal, maximum: Decimal, time: number): VenueResponse {
  const units = (value: Decimal): string => value.times(QTY_UNITS).toFixed(0);
  return bybitFail(PARAMS_ERROR, `${CONTRACTS_ABOVE_MAXIMUM}, order_qty:${units(quantity)} > max_qty:${units(maximum)}`, time);
}

/**
 * EngineError → Bybit's retCode and retMsg. Spot quantity refusals have their own documented codes
 * (170135-170137); the v5 error page lists none for perpetuals, whose quantity refusals arrive as
 * the generic parameter error 10001 with a message naming the limit (ccxt raises BadRequest for
 * them, InvalidOrder for the spot codes).
 */
const REFUSALS: Readonly<Record<EngineErrorCode, PerCategory>> = {
  // ccxt matches "Not supported symbols" broadly and raises BadSymbol.
  UNKNOWN_SYMBOL: { retCode: PARAMS_ERROR, retMsg: 'Not supported symbols' },
  INSUFFICIENT_BALANCE: {
    spot: { retCode: 170131, retMsg: 'Insufficient balance.' },
    linear: { retCode: 110007, retMsg: 'ab not enough for new order' },
  },
  QTY_STEP: {
    spot: { retCode: 170137, retMsg: 'Order volume decimal too long' },
    linear: { retCode: PARAMS_ERROR, retMsg: 'Qty invalid' },
  },
  QTY_BELOW_MIN: {
    spot: { retCode: 170136, retMsg: 'Order quantity lower than the minimum.' },
    linear: { retCode: PARAMS_ERROR, retMsg: 'The number of contracts exceeds minimum limit allowed' },
  },
  QTY_ABOVE_MAX: {
    spot: { retCode: 170135, retMsg: 'Order quantity too large.' },
    linear: { retCode: PARAMS_ERROR, retMsg: CONTRACTS_ABOVE_MAXIMUM },
  },
  NOTIONAL_BELOW_MIN: {
    spot: { retCode: 170140, retMsg: 'Transaction amount lower than the minimum.' },
    linear: { retCode: 110094, retMsg: 'Order does not meet minimum order value 5USDT' },
  },
  LEVERAGE_TOO_HIGH: { retCode: 110013, retMsg: 'Due to risk limit, cannot set leverage' },
  LEVERAGE_INVALID: { retCode: PARAMS_ERROR, retMsg: 'leverage invalid' },
  LEVERAGE_NOT_MODIFIED: { retCode: 110043, retMsg: 'leverage not modified' },
  POSITION_MODE_NOT_MODIFIED: { retCode: 110025, retMsg: 'Position mode is not modified' },
  POSITION_MODE_HAS_POSITIONS: { retCode: 110024, retMsg: 'You have an existing position, so position mode cannot be switched' },
  POSITION_SIDE_MISMATCH: { retCode: PARAMS_ERROR, retMsg: 'position idx not match position mode' },
  REDUCE_ONLY_NO_POSITION: { retCode: 110017, retMsg: 'current position is zero, cannot fix reduce-only order qty' },
  REDUCE_ONLY_WOULD_INCREASE: { retCode: 110017, retMsg: 'Reduce-only rule not satisfied' },
  DUPLICATE_CLIENT_ORDER_ID: {
    spot: { retCode: 170141, retMsg: 'Duplicate clientOrderId' },
    linear: { retCode: 110072, retMsg: 'OrderLinkedID is duplicate' },
  },
  ORDER_NOT_FOUND: {
    spot: { retCode: 170213, retMsg: 'Order does not exist.' },
    linear: { retCode: 110001, retMsg: 'Order does not exist' },
  },
  INVALID_PARAMETER: { retCode: PARAMS_ERROR, retMsg: 'params error' },
};

export function bybitRefusal(code: EngineErrorCode, category: BybitCategory): Refusal {
  const entry = REFUSALS[code];
  return 'retCode' in entry ? entry : entry[category];
}

/** The venue's answer to an engine refusal; parameter errors carry the engine's explanation. */
export function bybitEngineError(error: EngineError, category: BybitCategory, time: number): VenueResponse {
  const refusal = bybitRefusal(error.code, category);
  const retMsg = error.code === 'INVALID_PARAMETER' ? `params error: ${error.message}` : refusal.retMsg;
  return bybitFail(refusal.retCode, retMsg, time);
}
