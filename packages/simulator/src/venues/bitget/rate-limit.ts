import { OUT_OF_REACH, type BudgetSpecs, type BudgetValues } from '../../budget-spec';
import type { VenueContext, VenueResponse } from '../../contract';
import { BITGET_CODES, bitgetFail } from './errors';
import { FixedWindowCounter } from '../shared/fixed-window';

/** The budgets Bitget's module takes, each replacing a published limit (sources in FIDELITY.md, "Rate limits"). */
export const BITGET_BUDGETS = {
  /** Requests per endpoint per second, per UID (private) or IP (public) (real: 3-20 by endpoint). */
  bitgetRequestsPerSecond: {
    flag: 'bitget-requests-per-second',
    meaning: 'Bitget: requests per endpoint per second, per UID (private) or IP (public)',
    real: '3 to 20 by endpoint',
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
  /** Requests per IP per minute, all endpoints together (real: 6000). */
  bitgetIpRequestsPerMinute: {
    flag: 'bitget-ip-requests-per-minute',
    meaning: 'Bitget: requests per IP per minute, every endpoint together',
    real: 6_000,
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
} as const satisfies BudgetSpecs;

export type BitgetBudgets = BudgetValues<typeof BITGET_BUDGETS>;

const WINDOW_MS = 1_000;
/** Bitget's overall limit counts a minute per IP, whatever the endpoint. */
const IP_WINDOW_MS = 60_000;
/** Once an address goes over the overall limit, "it takes 5 minutes to recover". */
export const IP_RECOVERY_MS = 5 * 60_000;

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
 * queries free. Over all of them, each source address may send 6000 requests a minute; past that
 * it is refused for five minutes.
 */
export class BitgetRateLimiter {
  private readonly counter = new FixedWindowCounter(WINDOW_MS);
  private readonly ipCounter = new FixedWindowCounter(IP_WINDOW_MS);
  /** Addresses over the overall limit, until they have recovered. */
  private readonly recoveringUntil = new Map<string, number>();
  /** Replaces every endpoint's own budget (tests shrink it to reach the limit fast). */
  private readonly override: number | undefined;
  private readonly ipLimit: number;

  constructor(budgets: BitgetBudgets) {
    this.override = budgets.bitgetRequestsPerSecond;
    this.ipLimit = budgets.bitgetIpRequestsPerMinute ?? BITGET_BUDGETS.bitgetIpRequestsPerMinute.real;
  }

  /**
   * Every request, before anything else: the address's overall budget. The request over it and
   * every request of the next five minutes are refused, whatever the window does meanwhile.
   */
  admit(ip: string, now: number): VenueResponse | undefined {
    const until = this.recoveringUntil.get(ip);
    if (until !== undefined) {
      if (now < until) return bitgetTooManyRequests(now, until - now);
      this.recoveringUntil.delete(ip);
    }
    const use = this.ipCounter.hit(ip, now);
    if (use.used <= this.ipLimit) return undefined;
    this.recoveringUntil.set(ip, now + IP_RECOVERY_MS);
    return bitgetTooManyRequests(now, IP_RECOVERY_MS);
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
