import type { EngineError, EngineErrorCode, Instrument, Market, VenueResponse } from '../../contract';

/** Binance's error body is always `{ code, msg }`, a bare object like its successes. */
export function binanceError(status: number, code: number, msg: string, headers?: Readonly<Record<string, string>>): VenueResponse {
  return headers === undefined ? { status, body: { code, msg } } : { status, body: { code, msg }, headers };
}

export function missingParameter(name: string): VenueResponse {
  return binanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
}

export function illegalParameter(name: string, legalRange: string): VenueResponse {
  return binanceError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '${legalRange}'.`);
}

export function invalidParameterValue(name: string): VenueResponse {
  return binanceError(400, -1130, `Data sent for parameter '${name}' is not valid.`);
}

export const INVALID_SYMBOL = binanceError(400, -1121, 'Invalid symbol.');
export const ORDER_DOES_NOT_EXIST = binanceError(400, -2013, 'Order does not exist.');
export const API_KEY_FORMAT_INVALID = binanceError(401, -2014, 'API-key format invalid.');
export const INVALID_API_KEY = binanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
export const INVALID_SIGNATURE = binanceError(400, -1022, 'Signature for this request is not valid.');
export const RECV_WINDOW_TOO_LARGE = binanceError(400, -1131, 'recvWindow must be less than 60000');
export const TIMESTAMP_OUTSIDE_WINDOW = binanceError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
export const TIMESTAMP_AHEAD = binanceError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
/** The simulator fills market orders only; the other order types answer as an unsupported combination. */
export const UNSUPPORTED_ORDER_TYPE = binanceError(400, -1014, 'Unsupported order combination.');
export const INVALID_SIDE = binanceError(400, -1117, 'Invalid side.');
/** Hedge mode rejects the flag outright: the position side already says whether an order closes. */
export const REDUCE_ONLY_IN_HEDGE_MODE = binanceError(400, -1106, "Parameter 'reduceonly' sent when not required.");
export const LOT_SIZE_FAILURE = binanceError(400, -1013, 'Filter failure: LOT_SIZE');
/** USDⓈ-M: a quantity with more decimals than the symbol's `quantityPrecision`. */
export const BAD_PRECISION = binanceError(400, -1111, 'Precision is over the maximum defined for this asset.');
export const MARGIN_TYPE_UNCHANGED = binanceError(400, -4046, 'No need to change margin type.');

/**
 * What ccxt 4.5.84 raises for each answer is part of the contract (see the table test). Its binance
 * class resolves the USDⓈ-M codes (-1111 aside: -2019, -2022, -4116, -4164) from a table keyed by
 * the `https://fapi.binance.com/` host, which a client pointed at the simulator never matches, so
 * there ccxt raises a plain ExchangeError carrying the code; the adapters classify those codes
 * themselves. The answers are USDⓈ-M's own codes and messages all the same.
 */
function refusal(code: EngineErrorCode, market: Market, message: string, instrument: Instrument | undefined): VenueResponse {
  const futures = market === 'futures';
  switch (code) {
    case 'UNKNOWN_SYMBOL':
      return INVALID_SYMBOL;
    case 'INSUFFICIENT_BALANCE':
      return futures
        ? binanceError(400, -2019, 'Margin is insufficient.')
        : binanceError(400, -2010, 'Account has insufficient balance for requested action.');
    case 'QTY_STEP':
    case 'QTY_BELOW_MIN':
    case 'QTY_ABOVE_MAX':
      return futures ? binanceError(400, -1013, 'Filter failure: MARKET_LOT_SIZE') : LOT_SIZE_FAILURE;
    case 'NOTIONAL_BELOW_MIN':
      return futures
        ? binanceError(
            400,
            -4164,
            `Order's notional must be no smaller than ${instrument?.minNotional.toFixed() ?? '5'} (unless you choose reduce only).`,
          )
        : binanceError(400, -1013, 'Filter failure: NOTIONAL');
    case 'LEVERAGE_TOO_HIGH':
    case 'LEVERAGE_INVALID':
      return binanceError(400, -4028, message);
    case 'LEVERAGE_NOT_MODIFIED':
      // Binance accepts a leverage equal to the current one; the route answers success instead.
      return binanceError(400, -4028, message);
    case 'POSITION_MODE_NOT_MODIFIED':
      return binanceError(400, -4059, 'No need to change position side.');
    case 'POSITION_MODE_HAS_POSITIONS':
      return binanceError(400, -4068, 'Position side cannot be changed if there exists position.');
    case 'POSITION_SIDE_MISMATCH':
      return binanceError(400, -4061, "Order's position side does not match user's setting.");
    case 'REDUCE_ONLY_NO_POSITION':
    case 'REDUCE_ONLY_WOULD_INCREASE':
      return binanceError(400, -2022, 'ReduceOnly Order is rejected.');
    case 'DUPLICATE_CLIENT_ORDER_ID':
      return futures ? binanceError(400, -4116, 'ClientOrderId is duplicated.') : binanceError(400, -2010, 'Duplicate order sent.');
    case 'ORDER_NOT_FOUND':
      return ORDER_DOES_NOT_EXIST;
    case 'INVALID_PARAMETER':
      return binanceError(400, -1102, 'A mandatory parameter was not sent, was empty/null, or malformed.');
  }
}

/** The market a path belongs to: USDⓈ-M under `/fapi/`, everything else trades spot. */
export function marketOfPath(path: string): Market {
  return path.startsWith('/fapi/') ? 'futures' : 'spot';
}

export function engineErrorAnswer(error: EngineError, market: Market, instrument?: Instrument): VenueResponse {
  return refusal(error.code, market, error.message, instrument);
}

/** A 5xx as Binance sends it when the request failed inside the venue (not delivered to the engine). */
export const INTERNAL_ERROR = binanceError(500, -1001, 'Internal error; unable to process your request. Please try again.');

/**
 * The answer behind most duplicate orders: the engine may have executed the order, the gateway gave
 * up waiting. Binance documents HTTP 408 for this timeout; ccxt raises RequestTimeout.
 */
export const SEND_STATUS_UNKNOWN = binanceError(
  408,
  -1007,
  'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
);
