import type { VenueResponse } from '../../contract';

/**
 * Bybit v5 wraps every answer, success or refusal, in the same envelope:
 * `{ retCode, retMsg, result, retExtInfo, time }`. Business refusals travel with HTTP 200.
 */
export function bybitOk(result: unknown, time: number): VenueResponse {
  return { status: 200, body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time } };
}

export function bybitFail(
  retCode: number,
  retMsg: string,
  time: number,
  status = 200,
  headers?: Readonly<Record<string, string>>,
): VenueResponse {
  const body = { retCode, retMsg, result: {}, retExtInfo: {}, time };
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** retCode 10001, Bybit's catch-all for a missing, malformed or out-of-range parameter. */
export const PARAMS_ERROR = 10001;
