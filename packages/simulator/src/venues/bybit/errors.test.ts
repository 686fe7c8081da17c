import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { EngineError, type EngineErrorCode, type VenueProtocol, type VenueResponse } from '../../contract';
import { bybitVenue } from './venue';
import { bybitEngineError, type BybitCategory } from './errors';

type CcxtErrorClass = abstract new (...args: never[]) => Error;

const client = new ccxt.bybit();
const URL = 'https://api.bybit.com/v5/order/create';

/** What ccxt 4.5.84 raises for this answer, through its own bybit handleErrors and status mapping. */
function ccxtErrorFor(response: VenueResponse): Error | undefined {
  const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  try {
    // As handleRestResponse does: bybit's handleErrors throws or returns undefined, then the status decides.
    client.handleErrors(response.status, '', URL, 'POST', {}, body, client.parseJson(body), {}, '');
    client.handleHttpStatusCode(response.status, '', URL, 'POST', body);
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

function expectRaises(response: VenueResponse, errorClass: CcxtErrorClass): void {
  const error = ccxtErrorFor(response);
  expect(error).toBeInstanceOf(errorClass);
  expect(error?.name).toBe(errorClass.name);
}

/** The ccxt class each engine refusal must raise; both categories unless noted. */
const EXPECTED: Readonly<Record<EngineErrorCode, CcxtErrorClass>> = {
  UNKNOWN_SYMBOL: ccxt.BadSymbol,
  INSUFFICIENT_BALANCE: ccxt.InsufficientFunds,
  QTY_STEP: ccxt.InvalidOrder,
  QTY_BELOW_MIN: ccxt.InvalidOrder,
  QTY_ABOVE_MAX: ccxt.InvalidOrder,
  NOTIONAL_BELOW_MIN: ccxt.InvalidOrder,
  LEVERAGE_TOO_HIGH: ccxt.BadRequest,
  LEVERAGE_INVALID: ccxt.BadRequest,
  LEVERAGE_NOT_MODIFIED: ccxt.BadRequest,
  POSITION_MODE_NOT_MODIFIED: ccxt.NoChange,
  POSITION_MODE_HAS_POSITIONS: ccxt.BadRequest,
  POSITION_SIDE_MISMATCH: ccxt.BadRequest,
  REDUCE_ONLY_NO_POSITION: ccxt.InvalidOrder,
  REDUCE_ONLY_WOULD_INCREASE: ccxt.InvalidOrder,
  DUPLICATE_CLIENT_ORDER_ID: ccxt.InvalidOrder,
  ORDER_NOT_FOUND: ccxt.OrderNotFound,
  INVALID_PARAMETER: ccxt.BadRequest,
};

/**
 * Perpetual quantity refusals are Bybit's generic parameter error 10001, which ccxt raises as
 * BadRequest (the adapters' InvalidOrderError either way).
 */
const LINEAR_EXPECTED: Readonly<Partial<Record<EngineErrorCode, CcxtErrorClass>>> = {
  QTY_STEP: ccxt.BadRequest,
  QTY_BELOW_MIN: ccxt.BadRequest,
  QTY_ABOVE_MAX: ccxt.BadRequest,
};

const CASES = (Object.keys(EXPECTED) as EngineErrorCode[]).flatMap((code) =>
  (['spot', 'linear'] as const).map((category): [EngineErrorCode, BybitCategory] => [code, category]),
);

describe('Bybit refusal codes as ccxt 4.5.84 reads them', () => {
  it.each(CASES)('%s on %s makes ccxt raise the class of the venue answer, with HTTP 200', (code, category) => {
    const response = bybitEngineError(new EngineError(code, 'engine detail'), category, 0);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ result: {}, retExtInfo: {}, time: 0 });
    expectRaises(response, (category === 'linear' ? LINEAR_EXPECTED[code] : undefined) ?? EXPECTED[code]);
  });

  it('uses the venue codes a Bybit integrator looks for', () => {
    const retCode = (code: EngineErrorCode, category: BybitCategory): unknown =>
      (bybitEngineError(new EngineError(code, ''), category, 0).body as { retCode: number }).retCode;
    expect(retCode('DUPLICATE_CLIENT_ORDER_ID', 'linear')).toBe(110072);
    expect(retCode('DUPLICATE_CLIENT_ORDER_ID', 'spot')).toBe(170141);
    expect(retCode('REDUCE_ONLY_NO_POSITION', 'linear')).toBe(110017);
    expect(retCode('LEVERAGE_NOT_MODIFIED', 'linear')).toBe(110043);
    expect(retCode('POSITION_MODE_NOT_MODIFIED', 'linear')).toBe(110025);
    expect(retCode('INSUFFICIENT_BALANCE', 'linear')).toBe(110007);
    expect(retCode('INSUFFICIENT_BALANCE', 'spot')).toBe(170131);
    expect(['QTY_STEP', 'QTY_BELOW_MIN', 'QTY_ABOVE_MAX', 'NOTIONAL_BELOW_MIN'].map((code) => retCode(code as EngineErrorCode, 'spot'))).toEqual([
      170137, 170136, 170135, 170140,
    ]);
    expect(['QTY_STEP', 'QTY_BELOW_MIN', 'QTY_ABOVE_MAX'].map((code) => retCode(code as EngineErrorCode, 'linear'))).toEqual([10001, 10001, 10001]);
  });

  it('passes the engine explanation along with parameter errors', () => {
    const response = bybitEngineError(new EngineError('INVALID_PARAMETER', 'qty must be a decimal number'), 'linear', 0);
    expect(response.body).toMatchObject({ retCode: 10001, retMsg: 'params error: qty must be a decimal number' });
  });
});

describe('Bybit answers for the server and for faults', () => {
  const protocol: VenueProtocol = bybitVenue.createProtocol({ budgets: {} });

  it('answers a rate-limit fault as a UID over budget: 10006 on HTTP 200, the reset timestamp at the wait, no Retry-After', () => {
    const response = protocol.rateLimited(1500, false);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ retCode: 10006, retMsg: 'Too many visits!' });
    const time = (response.body as { time: number }).time;
    expect(response.headers).toEqual({ 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(time + 1500) });
    expectRaises(response, ccxt.RateLimitExceeded);
  });

  it('answers a ban with the IP limit\'s 403 "access too frequent", which ccxt raises as RateLimitExceeded', () => {
    const response = protocol.rateLimited(600_000, true);
    expect(response.status).toBe(403);
    expect(response.body).toBe('access too frequent');
    expect(response.headers).not.toHaveProperty('Retry-After');
    expectRaises(response, ccxt.RateLimitExceeded);
  });

  it('answers a 5xx with the gateway page, which ccxt treats as the exchange being unavailable', () => {
    const response = protocol.serverError();
    expect(response.status).toBe(502);
    expect(typeof response.body).toBe('string');
    expectRaises(response, ccxt.ExchangeNotAvailable);
  });

  it('answers "send status unknown" with the gateway timeout, a RequestTimeout in ccxt', () => {
    const response = protocol.sendStatusUnknown();
    expect(response.status).toBe(504);
    expectRaises(response, ccxt.RequestTimeout);
  });

  it('answers unknown paths with 404 / 10017 and unreadable requests with 10001', () => {
    const request = { method: 'GET', path: '/v5/nope', rawQuery: '', query: {}, rawBody: '', body: {}, headers: {}, ip: '' };
    const notFound = protocol.notFound(request);
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({ retCode: 10017 });
    expectRaises(notFound, ccxt.BadRequest);
    const badRequest = protocol.badRequest(request, 'Malformed request body');
    expect(badRequest.body).toMatchObject({ retCode: 10001, retMsg: 'params error: Malformed request body' });
    expectRaises(badRequest, ccxt.BadRequest);
  });
});
