import {
  AuthenticationError,
  ExchangeAPIError,
  ExchangeUnavailableError,
  InsufficientBalanceError,
  InvalidLeverageError,
  InvalidOrderError,
  NetworkError,
  PositionNotFoundError,
  RateLimitError,
  Secret,
  SymbolNotFoundError,
} from '@xport/core';
import type { ExchangeError } from '@xport/core';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';

import { translateCcxtError, venueCodeOf } from './translate-error';
import type { VenueErrorMeaning } from './translate-error';

const context = {
  exchange: 'binance',
  operation: 'executeSpotBuy',
  secrets: [new Secret('SECRETKEY123'), 'APIKEY456'],
  classifyCode: (code: string): VenueErrorMeaning | undefined => ({ '-2022': 'positionNotFound', '-4028': 'invalidLeverage' } as Record<string, VenueErrorMeaning>)[code],
  retryAfterMs: 2_000,
};

interface DomainClass {
  isInstance(value: unknown): value is ExchangeError;
  name: string;
}

describe('translateCcxtError', () => {
  it.each<[string, Error, DomainClass, string | undefined]>([
    ['InsufficientFunds', new ccxt.InsufficientFunds('binance {"code":-2010,"msg":"Account has insufficient balance"}'), InsufficientBalanceError, '-2010'],
    ['AuthenticationError', new ccxt.AuthenticationError('binance {"code":-2015,"msg":"Invalid API-key"}'), AuthenticationError, '-2015'],
    ['PermissionDenied', new ccxt.PermissionDenied('bybit {"retCode":10005,"retMsg":"permission denied"}'), AuthenticationError, '10005'],
    ['BadSymbol', new ccxt.BadSymbol('bybit {"retCode":10001,"retMsg":"Not supported symbols"}'), SymbolNotFoundError, '10001'],
    ['RateLimitExceeded', new ccxt.RateLimitExceeded('bybit {"retCode":10006,"retMsg":"Too many visits!"}'), RateLimitError, '10006'],
    ['DDoSProtection', new ccxt.DDoSProtection('bitget {"code":"429","msg":"Too Many Requests"}'), RateLimitError, '429'],
    ['ExchangeNotAvailable', new ccxt.ExchangeNotAvailable('bybit 502 Bad Gateway'), ExchangeUnavailableError, undefined],
    ['OperationFailed (Binance -1001)', new ccxt.OperationFailed('binance {"code":-1001,"msg":"Internal error"}'), ExchangeUnavailableError, '-1001'],
    ['RequestTimeout', new ccxt.RequestTimeout('binance POST https://x/api/v3/order request timed out (10000 ms)'), NetworkError, undefined],
    ['InvalidNonce', new ccxt.InvalidNonce('binance {"code":-1021,"msg":"Timestamp outside recvWindow"}'), NetworkError, '-1021'],
    ['NetworkError', new ccxt.NetworkError('binance GET https://x fetch failed: socket hang up'), NetworkError, undefined],
    ['InvalidOrder', new ccxt.InvalidOrder('bitget {"code":"40808","msg":"size precision"}'), InvalidOrderError, '40808'],
    ['BadRequest', new ccxt.BadRequest('binance {"code":-1013,"msg":"Filter failure: NOTIONAL"}'), InvalidOrderError, '-1013'],
    ['plain ExchangeError', new ccxt.ExchangeError('binance {"code":-4164,"msg":"notional"}'), ExchangeAPIError, '-4164'],
    ['venue code: no position', new ccxt.ExchangeError('binance {"code":-2022,"msg":"ReduceOnly Order is rejected."}'), PositionNotFoundError, '-2022'],
    ['venue code: leverage', new ccxt.ExchangeError('binance {"code":-4028,"msg":"Leverage 200 is not valid"}'), InvalidLeverageError, '-4028'],
    ['TypeError from a cut-off body', new TypeError("Cannot read properties of undefined (reading 'orderId')"), ExchangeUnavailableError, undefined],
  ])('%s → %s, keeping the venue code and the cause', (_label, error, expected, code) => {
    const translated = translateCcxtError(error, context);
    expect(expected.isInstance(translated), `${translated.name}: ${translated.message}`).toBe(true);
    expect(translated.code).toBe(code);
    expect(translated.cause).toBe(error);
    expect(translated).toMatchObject({ exchange: 'binance', operation: 'executeSpotBuy' });
  });

  it('carries the Retry-After of the answer on rate limits, and marks outages retryable', () => {
    const limited = translateCcxtError(new ccxt.RateLimitExceeded('429'), context);
    expect(RateLimitError.isInstance(limited) && limited.retryAfterMs).toBe(2_000);
    expect(limited.retryable).toBe(true);
    expect(translateCcxtError(new ccxt.InsufficientFunds('x'), context).retryable).toBe(false);
  });

  it('maps socket errors by errno and passes domain errors through', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const translated = translateCcxtError(reset, context);
    expect(NetworkError.isInstance(translated) && translated.code).toBe('ECONNRESET');
    const domain = new InsufficientBalanceError('already ours');
    expect(translateCcxtError(domain, context)).toBe(domain);
  });

  it('scrubs credentials from the message', () => {
    const translated = translateCcxtError(new ccxt.AuthenticationError('bad key APIKEY456 signed with SECRETKEY123'), context);
    expect(translated.message).toBe('bad key [REDACTED] signed with [REDACTED]');
  });
});

describe('venueCodeOf', () => {
  it.each([
    ['binance {"code":-2010,"msg":"x"}', '-2010'],
    ['bybit {"retCode":110007,"retMsg":"x"}', '110007'],
    ['bitget {"code":"43012","msg":"x"}', '43012'],
    ['bitget {"code":"00000","msg":"success"}', undefined],
    ['no body at all', undefined],
  ])('%s → %s', (message, code) => {
    expect(venueCodeOf(message)).toBe(code);
  });
});
