import type { EngineError, Market, VenueResponse } from '../../contract';

/**
 * Bitget's envelope: `{ code, msg, requestTime, data }`, `code` a string, `"00000"` for success.
 * Business refusals arrive as HTTP 400 with the venue's five-digit code; ccxt's `handleErrors`
 * reads only the body, so the code (checked against ccxt 4.5.84's `exceptions.exact`) decides the
 * class it raises.
 */
export function bitgetOk(requestTime: number, data: unknown): VenueResponse {
  return { status: 200, body: { code: '00000', msg: 'success', requestTime, data } };
}

export function bitgetFail(requestTime: number, code: string, msg: string, status = 400): VenueResponse {
  return { status, body: { code, msg, requestTime, data: null } };
}

/** A refusal decided while reading a request; route handlers throw it and the guard answers it. */
export class BitgetRefusal extends Error {
  constructor(
    readonly code: string,
    readonly msg: string,
    readonly status = 400,
  ) {
    super(`${code} ${msg}`);
    this.name = 'BitgetRefusal';
  }
}

/** The codes the simulator answers with, each with the class ccxt 4.5.84 raises for it. */
export const BITGET_CODES = {
  /** AuthenticationError */
  accessKeyEmpty: ['40001', 'ACCESS_KEY cannot be empty'],
  /** AuthenticationError */
  signEmpty: ['40002', 'ACCESS_SIGN cannot be empty'],
  /** InvalidNonce */
  invalidTimestamp: ['40005', 'Invalid ACCESS_TIMESTAMP'],
  /** AuthenticationError */
  invalidAccessKey: ['40006', 'Invalid ACCESS_KEY'],
  /** BadRequest */
  invalidContentType: ['40007', 'Invalid Content_Type'],
  /** InvalidNonce */
  timestampExpired: ['40008', 'Request timestamp expired'],
  /** AuthenticationError */
  signatureError: ['40009', 'sign signature error'],
  /** AuthenticationError */
  passphraseEmpty: ['40011', 'ACCESS_PASSPHRASE cannot be empty'],
  /** AuthenticationError */
  passphraseWrong: ['40012', 'apikey/password is incorrect'],
  /** BadRequest */
  parameterVerification: ['40017', 'Parameter verification failed'],
  /** BadRequest */
  parameterEmpty: ['40019', 'Parameter {0} cannot be empty'],
  /** BadRequest */
  parameterError: ['40020', 'Parameter {0} error'],
  /** BadRequest */
  urlNotFound: ['40404', 'Request URL NOT FOUND'],
  /** DDoSProtection */
  tooManyRequests: ['429', 'Too Many Requests'],
} as const satisfies Record<string, readonly [string, string]>;

export function refusal(entry: readonly [string, string], arg?: string): BitgetRefusal {
  return new BitgetRefusal(entry[0], arg === undefined ? entry[1] : entry[1].replace('{0}', arg));
}

/**
 * Bitget's answer to each engine refusal. Where Bitget's real code is one ccxt does not map
 * (45111, 45112, 43007, 43118, 40786, 40797, 40920, 22002), ccxt raises a plain ExchangeError
 * carrying the code, exactly as it does against the real venue.
 */
export function engineErrorAnswer(error: EngineError, market: Market, minNotional?: string): readonly [string, string] {
  const futures = market === 'futures';
  switch (error.code) {
    case 'UNKNOWN_SYMBOL':
      // BadSymbol: ccxt knows every listed symbol, so only a delisted one reaches the venue.
      return ['40309', futures ? 'The contract has been removed' : 'The symbol has been removed'];
    case 'INSUFFICIENT_BALANCE':
      // InsufficientFunds both.
      return futures ? ['40762', 'The order amount exceeds the balance'] : ['43012', 'Insufficient balance'];
    case 'QTY_STEP':
      // InvalidOrder; the order routes answer the usual decimal-places case themselves, with the value.
      return ['40808', 'Parameter verification exception size'];
    case 'QTY_BELOW_MIN':
      return futures ? ['45111', 'less than the minimum order quantity'] : ['40808', 'Parameter verification exception size'];
    case 'QTY_ABOVE_MAX':
      return futures
        ? ['45112', 'more than the maximum order quantity']
        : ['43007', 'The order quantity is greater than the maximum transaction quantity'];
    case 'NOTIONAL_BELOW_MIN':
      // InvalidOrder.
      return ['45110', `less than the minimum amount ${minNotional ?? (futures ? '5' : '1')} USDT`];
    case 'LEVERAGE_TOO_HIGH':
      return ['40797', 'Exceeded the maximum settable leverage'];
    case 'LEVERAGE_INVALID':
      return ['40017', 'Parameter verification failed leverage'];
    case 'POSITION_MODE_HAS_POSITIONS':
      return ['40920', 'Position or order exists, the position mode cannot be switched'];
    case 'POSITION_SIDE_MISMATCH':
      // InvalidOrder.
      return ['40774', 'The order type for unilateral position must also be the unilateral position type.'];
    case 'REDUCE_ONLY_NO_POSITION':
    case 'REDUCE_ONLY_WOULD_INCREASE':
      return ['22002', 'No position to close'];
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return futures ? ['40786', 'Duplicate clientOid'] : ['43118', 'clientOrderId duplicate'];
    case 'ORDER_NOT_FOUND':
      // OrderNotFound both.
      return futures
        ? ['40109', 'The data of the order cannot be found, please confirm the order number']
        : ['43001', 'The order does not exist'];
    // The routes answer the two idempotent cases with success before they get here.
    case 'LEVERAGE_NOT_MODIFIED':
    case 'POSITION_MODE_NOT_MODIFIED':
    case 'INVALID_PARAMETER':
      return ['40017', `Parameter verification failed ${error.message}`];
  }
}
