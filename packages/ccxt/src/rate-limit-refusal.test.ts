import { describe, expect, it } from 'vitest';

import { accountBudgetOf, readRateLimitRefusal } from './rate-limit-refusal';
import type { VenueAnswer } from './rate-limit-refusal';
import type { VenueRateLimit } from './venue-profile';

const NOW = 1_750_000_000_000;

/** A Bybit-like venue: per-account headers, a rolling second, 10006 per account, a 403 ban. */
const accountHeaders: VenueRateLimit = {
  spot: { capacity: 40, intervalMs: 1_000 },
  futures: { capacity: 40, intervalMs: 1_000 },
  accountHeaders: { remaining: 'x-bapi-limit-status', resetAt: 'x-bapi-limit-reset-timestamp', windowMs: 1_000 },
  accountRefusalCodes: ['10006'],
  refusalWaitMs: (message) => (message.includes('access too frequent') ? 600_000 : undefined),
  weights: {},
};

/** A Binance-like venue: Retry-After, -1015 per account, the window named in the text. */
const namedWindows: VenueRateLimit = {
  spot: { capacity: 6000, intervalMs: 60_000 },
  futures: { capacity: 2400, intervalMs: 60_000 },
  accountRefusalCodes: ['-1015'],
  refusalWaitMs: (message) => (message.includes('per 10 SECOND') ? 10_000 : undefined),
  weights: {},
};

function answer(headers: Record<string, string>, body?: string): VenueAnswer {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { header: (name) => lower[name.toLowerCase()], body };
}

describe('accountBudgetOf', () => {
  it('reads what is left and when it frees, moved from the venue clock (the envelope time) onto ours', () => {
    const headers = { 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(NOW + 5_000 + 700) };
    // The venue's clock runs 5 s ahead of ours: the reset is 700 ms away, not 5.7 s.
    expect(accountBudgetOf(accountHeaders, answer(headers, `{"retCode":10006,"time":${String(NOW + 5_000)}}`), NOW)).toEqual({ remaining: 0, resetAt: NOW + 700 });
  });

  it('with nothing left and no reset named yet (Bybit sends the current time), waits out the window', () => {
    const headers = { 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(NOW) };
    expect(accountBudgetOf(accountHeaders, answer(headers, `{"retCode":0,"time":${String(NOW)}}`), NOW)).toEqual({ remaining: 0, resetAt: NOW + 1_000 });
    expect(accountBudgetOf(accountHeaders, answer({ ...headers, 'X-Bapi-Limit-Status': '3' }), NOW)).toEqual({ remaining: 3, resetAt: NOW });
  });

  it('is undefined without the headers, or for a venue that has none', () => {
    expect(accountBudgetOf(accountHeaders, answer({}), NOW)).toBeUndefined();
    expect(accountBudgetOf(namedWindows, answer({ 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': '1' }), NOW)).toBeUndefined();
  });
});

describe('readRateLimitRefusal', () => {
  it('takes Retry-After first, whoever sent it', () => {
    expect(readRateLimitRefusal(namedWindows, answer({ 'Retry-After': '7' }), { code: '-1003', message: '' }, NOW)).toEqual({ waitMs: 7_000, scope: 'ip' });
    expect(readRateLimitRefusal(namedWindows, answer({ 'Retry-After': '3' }), { code: '-1015', message: 'per 10 SECOND' }, NOW)).toEqual({ waitMs: 3_000, scope: 'account' });
  });

  it('a per-account refusal without Retry-After waits for the account budget\'s reset (Bybit 10006 on HTTP 200)', () => {
    const headers = { 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(NOW + 400) };
    expect(readRateLimitRefusal(accountHeaders, answer(headers, `{"retCode":10006,"time":${String(NOW)}}`), { code: '10006', message: 'Too many visits!' }, NOW)).toEqual({
      waitMs: 400,
      scope: 'account',
    });
  });

  it('otherwise takes the wait the refusal names in its text (Binance USDⓈ-M -1015, Bybit\'s 403 ban), or none', () => {
    const futures = 'binance 429 Too Many Requests {"code":-1015,"msg":"Too many new orders; current limit is 300 orders per 10 SECOND."}';
    expect(readRateLimitRefusal(namedWindows, answer({}), { code: '-1015', message: futures }, NOW)).toEqual({ waitMs: 10_000, scope: 'account' });
    const banned = 'bybit GET http://127.0.0.1/bybit/v5/market/time 403 Forbidden access too frequent';
    expect(readRateLimitRefusal(accountHeaders, answer({}), { code: undefined, message: banned }, NOW)).toEqual({ waitMs: 600_000, scope: 'ip' });
    expect(readRateLimitRefusal(accountHeaders, answer({}), { code: '429', message: 'busy' }, NOW)).toEqual({ waitMs: undefined, scope: 'ip' });
  });
});
