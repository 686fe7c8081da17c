import { ExchangeAPIError, ExchangeUnavailableError, InsufficientBalanceError, NetworkError, RateLimitError } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { acceptedButNotVisible } from './accepted-not-visible';
import { attemptVerdict } from './attempt-verdict';
import { translateCcxtError } from './translate-error';
import type { VenueErrorMeaning } from './translate-error';

/** ccxt's own error classes, as the adapter meets them. */
async function ccxtError(name: 'ExchangeError' | 'NetworkError' | 'InvalidOrder', message: string): Promise<Error> {
  const ccxt = (await import('ccxt')) as unknown as Record<string, new (message: string) => Error>;
  const Cls = ccxt[name];
  if (Cls === undefined) throw new Error(`ccxt has no ${name}`);
  return new Cls(message);
}

const classify = (meanings: Record<string, VenueErrorMeaning>) => (code: string) => meanings[code];

describe('attemptVerdict: what a failed order attempt proves, from classes and codes', () => {
  it('reads the meaning the profile gave the venue code when the error was translated', async () => {
    const context = { exchange: 'binance', operation: 'executeSpotBuy', secrets: [], classifyCode: classify({ '-4116': 'duplicateClientOrderId', '-1021': 'timestamp', '-1007': 'sendStatusUnknown' }) };
    const duplicate = translateCcxtError(await ccxtError('InvalidOrder', 'binance {"code":-4116,"msg":"ClientOrderId is duplicated."}'), context);
    const timestamp = translateCcxtError(await ccxtError('ExchangeError', 'binance {"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}'), context);
    const unknown = translateCcxtError(await ccxtError('ExchangeError', 'binance {"code":-1007,"msg":"Timeout waiting for response from backend server."}'), context);
    expect([attemptVerdict(duplicate), attemptVerdict(timestamp), attemptVerdict(unknown)]).toEqual(['duplicate', 'notSent', 'ambiguous']);
  });

  it('never reads the text: a message that only mentions a refused connection proves nothing', async () => {
    const refused = translateCcxtError(await ccxtError('NetworkError', 'binance GET http://127.0.0.1:9/api/v3/order fetch failed: connect ECONNREFUSED 127.0.0.1:9'), { exchange: 'binance', operation: 'executeSpotBuy', secrets: [] });
    expect(refused.code).toBe('ECONNREFUSED');
    expect(attemptVerdict(refused)).toBe('notSent');
    // A domain error whose text says ECONNREFUSED but whose code does not: sent, fate open.
    expect(attemptVerdict(new NetworkError('ECONNREFUSED somewhere', { exchange: 'binance' }))).toBe('ambiguous');
    expect(attemptVerdict(new NetworkError('reset', { exchange: 'binance', code: 'ECONNRESET' }))).toBe('ambiguous');
  });

  it('by class: acknowledged, rate-limited, outage, refusal', () => {
    expect(attemptVerdict(acceptedButNotVisible('bybit', 'executeSpotBuy', 'xp1'))).toBe('accepted');
    expect(attemptVerdict(new RateLimitError('slow down', { exchange: 'binance' }))).toBe('notSent');
    expect(attemptVerdict(new ExchangeUnavailableError('binance: malformed answer', { exchange: 'binance' }))).toBe('ambiguous');
    expect(attemptVerdict(new InsufficientBalanceError('no', { exchange: 'binance' }))).toBe('rejected');
    expect(attemptVerdict(new ExchangeAPIError('no', { exchange: 'binance' }))).toBe('rejected');
  });
});
