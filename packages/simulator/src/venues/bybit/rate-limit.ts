import type { RateLimitBudgets, VenueContext, VenueResponse, VenueRoute } from '../../contract';
import { bybitFail } from './envelope';
import { FixedWindowCounter } from '../shared/fixed-window';

/** A Bybit route knows its per-UID budget; order placement takes the configurable one. */
export interface BybitRoute extends VenueRoute {
  /** Requests per UID per second on this endpoint; `orders` follows the order budget. */
  readonly perSecond?: number | 'orders';
}

/** Bybit's default per-UID order budget: 10/s on USDT perpetuals, 20/s on spot. */
const LINEAR_ORDERS_PER_SECOND = 10;
const SPOT_ORDERS_PER_SECOND = 20;
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export interface BybitRateLimitResult {
  readonly headers: Readonly<Record<string, string>>;
  readonly refusal?: VenueResponse;
}

/**
 * retCode 10006 with a Retry-After. Bybit itself answers it with HTTP 200; the simulator uses 429
 * so clients see the same status from every venue (ccxt raises RateLimitExceeded either way), and
 * answers a ban with Bybit's IP-limit 403 and retCode 10018.
 */
export function bybitRateLimited(retryAfterMs: number, banned: boolean, now: number, extra?: Readonly<Record<string, string>>): VenueResponse {
  const headers = { ...extra, 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) };
  return banned
    ? bybitFail(10018, 'Your IP has exceeded the rate limit and is banned.', now, 403, headers)
    : bybitFail(10006, 'Too many visits. Exceeded the API Rate Limit.', now, 429, headers);
}

/**
 * Bybit limits each UID per endpoint per second and reports the budget in `X-Bapi-Limit`,
 * what is left in `X-Bapi-Limit-Status` and when the window resets in
 * `X-Bapi-Limit-Reset-Timestamp`. Public endpoints are limited per IP far above anything a test
 * reaches, so they go uncounted.
 */
export function createBybitRateLimiter(budgets: RateLimitBudgets): (ctx: VenueContext, route: BybitRoute) => BybitRateLimitResult {
  const counter = new FixedWindowCounter(1000);
  const configured = budgets.bybitOrdersPerSecond;
  return (ctx, route) => {
    const account = ctx.account;
    if (!account || route.perSecond === undefined) return { headers: NO_HEADERS };
    let limit: number;
    if (route.perSecond === 'orders') {
      limit = configured ?? (ctx.request.body?.category === 'spot' ? SPOT_ORDERS_PER_SECOND : LINEAR_ORDERS_PER_SECOND);
    } else {
      limit = route.perSecond;
    }
    const now = ctx.engine.now();
    const use = counter.hit(`${account.uid} ${route.method} ${route.path}`, now);
    const headers = {
      'X-Bapi-Limit': String(limit),
      'X-Bapi-Limit-Status': String(Math.max(0, limit - use.used)),
      'X-Bapi-Limit-Reset-Timestamp': String(use.resetAt),
    };
    if (use.used <= limit) return { headers };
    return { headers, refusal: bybitRateLimited(use.resetAt - now, false, now, headers) };
  };
}
