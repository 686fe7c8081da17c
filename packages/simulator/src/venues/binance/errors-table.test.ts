import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { EngineError, type EngineErrorCode, type Market, type VenueResponse } from '../../contract';
import { BINANCE_BASE_INSTRUMENTS } from './catalogue';
import { BAD_PRECISION, engineErrorAnswer } from './errors';
import { createBinanceProtocol } from './venue';

type ErrorClass = new (...args: never[]) => Error;

/**
 * What the pinned ccxt raises for each answer, fed straight to its `handleErrors` with a URL under
 * the simulator (where ccxt's fapi-host-only table does not apply). The class each refusal calls for
 * where ccxt allows it; where it does not, the class ccxt gives Binance's real answer (see comments).
 */
const EXPECTED: Readonly<Record<EngineErrorCode, Readonly<Record<Market, readonly [ErrorClass, number]>>>> = {
  UNKNOWN_SYMBOL: { spot: [ccxt.BadSymbol, -1121], futures: [ccxt.BadSymbol, -1121] },
  // -2019 "Margin is insufficient." is in ccxt's fapi-host table only.
  INSUFFICIENT_BALANCE: { spot: [ccxt.InsufficientFunds, -2010], futures: [ccxt.ExchangeError, -2019] },
  QTY_STEP: { spot: [ccxt.InvalidOrder, -1013], futures: [ccxt.InvalidOrder, -1013] },
  QTY_BELOW_MIN: { spot: [ccxt.InvalidOrder, -1013], futures: [ccxt.InvalidOrder, -1013] },
  QTY_ABOVE_MAX: { spot: [ccxt.InvalidOrder, -1013], futures: [ccxt.InvalidOrder, -1013] },
  // ccxt maps -1013 without "LOT_SIZE" in the body to BadRequest; -4164 it knows only under fapi.binance.com.
  NOTIONAL_BELOW_MIN: { spot: [ccxt.BadRequest, -1013], futures: [ccxt.ExchangeError, -4164] },
  LEVERAGE_TOO_HIGH: { spot: [ccxt.BadRequest, -4028], futures: [ccxt.BadRequest, -4028] },
  LEVERAGE_INVALID: { spot: [ccxt.BadRequest, -4028], futures: [ccxt.BadRequest, -4028] },
  LEVERAGE_NOT_MODIFIED: { spot: [ccxt.BadRequest, -4028], futures: [ccxt.BadRequest, -4028] },
  POSITION_MODE_NOT_MODIFIED: { spot: [ccxt.OperationRejected, -4059], futures: [ccxt.OperationRejected, -4059] },
  POSITION_MODE_HAS_POSITIONS: { spot: [ccxt.OperationRejected, -4068], futures: [ccxt.OperationRejected, -4068] },
  POSITION_SIDE_MISMATCH: { spot: [ccxt.OperationRejected, -4061], futures: [ccxt.OperationRejected, -4061] },
  // -2022 and -4116 are in ccxt's fapi-host table only; the code is in the message.
  REDUCE_ONLY_NO_POSITION: { spot: [ccxt.ExchangeError, -2022], futures: [ccxt.ExchangeError, -2022] },
  REDUCE_ONLY_WOULD_INCREASE: { spot: [ccxt.ExchangeError, -2022], futures: [ccxt.ExchangeError, -2022] },
  DUPLICATE_CLIENT_ORDER_ID: { spot: [ccxt.InvalidOrder, -2010], futures: [ccxt.ExchangeError, -4116] },
  ORDER_NOT_FOUND: { spot: [ccxt.OrderNotFound, -2013], futures: [ccxt.OrderNotFound, -2013] },
  INVALID_PARAMETER: { spot: [ccxt.BadRequest, -1102], futures: [ccxt.BadRequest, -1102] },
};

const URLS: Readonly<Record<Market, string>> = {
  spot: 'http://127.0.0.1:8899/binance/api/v3/order',
  futures: 'http://127.0.0.1:8899/binance/fapi/v1/order',
};

const UNKNOWN_PATH = { method: 'GET', path: '/api/v9/x', rawQuery: '', query: {}, rawBody: '', body: {}, headers: {}, ip: '' };

function raised(answer: VenueResponse, url: string): Error {
  const client = new ccxt.binance();
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const parsed: unknown = typeof answer.body === 'string' ? undefined : answer.body;
  try {
    client.handleErrors(answer.status, '', url, 'POST', answer.headers ?? {}, body, parsed, {}, '');
    client.handleHttpStatusCode(answer.status, '', url, 'POST', body);
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error(`ccxt accepted ${body}`);
}

describe('binance refusals as ccxt 4.5.84 classifies them', () => {
  const futures = BINANCE_BASE_INSTRUMENTS.find((instrument) => instrument.market === 'futures');

  for (const [code, markets] of Object.entries(EXPECTED) as [EngineErrorCode, (typeof EXPECTED)[EngineErrorCode]][]) {
    for (const market of ['spot', 'futures'] as const) {
      const [errorClass, binanceCode] = markets[market];
      it(`${code} on ${market} → ${binanceCode} → ${errorClass.name}`, () => {
        const answer = engineErrorAnswer(new EngineError(code, 'Leverage 200 is not valid'), market, futures);
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ code: binanceCode });
        expect(raised(answer, URLS[market]).constructor).toBe(errorClass);
      });
    }
  }

  it('the protocol-level answers: limits, 5xx, send status unknown, not found, USDⓈ-M over-precision', () => {
    const protocol = createBinanceProtocol({ budgets: {} });
    const cases: readonly [VenueResponse, ErrorClass, number][] = [
      [protocol.rateLimited(30_000, false), ccxt.DDoSProtection, 429],
      [protocol.rateLimited(120_000, true), ccxt.DDoSProtection, 418],
      [protocol.serverError(), ccxt.OperationFailed, 500],
      [protocol.sendStatusUnknown(), ccxt.RequestTimeout, 408],
      [protocol.notFound(UNKNOWN_PATH), ccxt.ExchangeNotAvailable, 404],
      [BAD_PRECISION, ccxt.BadRequest, 400],
    ];
    for (const [answer, errorClass, status] of cases) {
      expect(answer.status).toBe(status);
      expect(raised(answer, URLS.spot).constructor).toBe(errorClass);
    }
    expect(protocol.rateLimited(30_000, false).headers).toEqual({ 'Retry-After': '30' });
    expect(protocol.rateLimited(120_000, true).headers).toEqual({ 'Retry-After': '120' });
  });
});
