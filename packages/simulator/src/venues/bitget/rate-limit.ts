import type { RateLimitBudgets, VenueContext, VenueResponse } from '../../contract';
import { BITGET_CODES, bitgetFail } from './errors';
import { FixedWindowCounter } from '../shared/fixed-window';

const WINDOW_MS = 1_000;
/** Bitget's overall limit: 6000 requests a minute per IP, whatever the endpoint. */
const IP_WINDOW_MS = 60_000;
const IP_REQUESTS_PER_MINUTE = 6_000;

/**
 * Bitget's 429: the envelope with code `"429"` (ccxt: DDoSProtection) and a `Retry-After` in
 * seconds, the time left in the endpoint's one-second window.
 */
export function bitgetTooManyRequests(requestTime: number, retryAfterMs: number): VenueResponse {
  const [code, msg] = BITGET_CODES.tooManyRequests;
  const response = bitgetFail(requestTime, code, msg, 429);
  return {
    ...response,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1_000))), 'x-mbx-used-remain-limit': '0' },
  };
}

/**
 * Bitget limits each endpoint separately, per UID on private endpoints and per IP on public ones,
 * in one-second windows, and reports what is left of the endpoint's budget in
 * `x-mbx-used-remain-limit`. Endpoint budgets do not pool: hammering place-order leaves order
 * queries free. Over all of them, each source address may send 6000 requests a minute.
 */
export class BitgetRateLimiter {
  private readonly counter = new FixedWindowCounter(WINDOW_MS);
  private readonly ipCounter = new FixedWindowCounter(IP_WINDOW_MS);
  /** Replaces every endpoint's own budget (tests shrink it to reach the limit fast). */
  private readonly override: number | undefined;
  private readonly ipLimit: number;

  constructor(budgets: RateLimitBudgets) {
    this.override = budgets.bitgetRequestsPerSecond;
    this.ipLimit = budgets.bitgetIpRequestsPerMinute ?? IP_REQUESTS_PER_MINUTE;
  }

  /** Every request, before anything else: the address's overall budget. */
  admit(ip: string, now: number): VenueResponse | undefined {
    const use = this.ipCounter.hit(ip, now);
    return use.used > this.ipLimit ? bitgetTooManyRequests(now, use.resetAt - now) : undefined;
  }

  check(
    ctx: VenueContext,
    path: string,
    perSecond: number,
  ): { readonly headers: Readonly<Record<string, string>>; readonly refusal?: VenueResponse } {
    const budget = this.override ?? perSecond;
    const scope = ctx.account ? `uid:${ctx.account.uid}` : `ip:${ctx.request.ip}`;
    const now = ctx.engine.now();
    const use = this.counter.hit(`${scope}|${path}`, now);
    if (use.used > budget) return { headers: {}, refusal: bitgetTooManyRequests(now, use.resetAt - now) };
    return { headers: { 'x-mbx-used-remain-limit': String(budget - use.used) } };
  }
}
