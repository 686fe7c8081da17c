import { OUT_OF_REACH, type BudgetSpecs, type BudgetValues } from '../../budget-spec';
import type { VenueContext, VenueResponse, VenueRoute } from '../../contract';
import { bybitFail } from './envelope';
import { SlidingWindowCounter } from '../shared/sliding-window';

/** The budgets Bybit's module takes, each replacing a published limit (sources in FIDELITY.md, "Rate limits"). */
export const BYBIT_BUDGETS = {
  /** Requests per UID per second on the order endpoints (real: 10 on linear, 20 on spot). */
  bybitOrdersPerSecond: {
    flag: 'bybit-orders-per-second',
    meaning: 'Bybit: requests per UID per second on the order endpoints',
    real: '10 on linear, 20 on spot',
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
  /** Requests per IP in any 5 s, all endpoints together (real: 600); beyond, a 10-minute ban. */
  bybitIpRequestsPer5s: {
    flag: 'bybit-ip-requests-per-5s',
    meaning: 'Bybit: requests per IP in any 5 s, every endpoint together; beyond, a 10-minute ban',
    real: 600,
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
} as const satisfies BudgetSpecs;

export type BybitBudgets = BudgetValues<typeof BYBIT_BUDGETS>;

/** A Bybit route knows its per-UID budget; the order routes take the order budget of the category. */
export interface BybitRoute extends VenueRoute {
  /** Requests per UID per second on this endpoint; `orders` follows the order budget. */
  readonly perSecond?: number | 'orders';
}

/** Bybit's default per-UID order budget: 10/s on USDT perpetuals, 20/s on spot. */
const LINEAR_ORDERS_PER_SECOND = 10;
const SPOT_ORDERS_PER_SECOND = 20;
/** Per-UID budgets are counted over a rolling second. */
const UID_WINDOW_MS = 1_000;
/** 600 requests per IP in any 5 s, every endpoint together. */
const IP_WINDOW_MS = 5_000;
/** Past the IP limit the address is refused for at least ten minutes. */
export const IP_BAN_MS = 10 * 60_000;

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export interface BybitRateLimitResult {
  readonly headers: Readonly<Record<string, string>>;
  readonly refusal?: VenueResponse;
}

/**
 * A UID over its budget on an endpoint: retCode 10006 in the v5 envelope on HTTP 200, with the limit
 * headers (nothing left, and when the budget frees) and no Retry-After.
 */
export function tooManyVisits(now: number, headers: Readonly<Record<string, string>>): VenueResponse {
  return bybitFail(10006, 'Too many visits!', now, 200, headers);
}

/**
 * An address over the IP limit, or banned for having been: HTTP 403 with "access too frequent", not
 * the v5 envelope (ccxt maps Bybit's 403 to RateLimitExceeded).
 */
export const ACCESS_TOO_FREQUENT: VenueResponse = Object.freeze({
  status: 403,
  body: 'access too frequent',
  headers: Object.freeze({ 'content-type': 'text/plain; charset=utf-8' }),
});

/**
 * Bybit's two limits. Per IP (the request's source address): 600 requests in any 5 s across every
 * endpoint, public and private; the request over it and every request in the next ten minutes get
 * the 403. Per UID: each private endpoint has its own budget per rolling second (the order
 * endpoints one per category), reported on every answer in `X-Bapi-Limit` (the budget),
 * `X-Bapi-Limit-Status` (what is left) and `X-Bapi-Limit-Reset-Timestamp` (the current time, or,
 * once the budget is spent, when it frees); over it, 10006.
 */
export class BybitRateLimiter {
  private readonly uidWindows = new SlidingWindowCounter(UID_WINDOW_MS);
  private readonly ipWindows = new SlidingWindowCounter(IP_WINDOW_MS);
  private readonly bannedUntil = new Map<string, number>();
  private readonly ipLimit: number;

  constructor(private readonly budgets: BybitBudgets) {
    this.ipLimit = budgets.bybitIpRequestsPer5s ?? BYBIT_BUDGETS.bybitIpRequestsPer5s.real;
  }

  /** Every request, before anything else: the IP limit and its ban. */
  admit(ip: string, now: number): VenueResponse | undefined {
    const until = this.bannedUntil.get(ip);
    if (until !== undefined) {
      if (now < until) return ACCESS_TOO_FREQUENT;
      this.bannedUntil.delete(ip);
    }
    if (this.ipWindows.admit(ip, now, this.ipLimit).admitted) return undefined;
    this.bannedUntil.set(ip, now + IP_BAN_MS);
    return ACCESS_TOO_FREQUENT;
  }

  /** A signed route's per-UID budget; public routes have none. */
  charge(ctx: VenueContext, route: BybitRoute): BybitRateLimitResult {
    const account = ctx.account;
    if (!account || route.perSecond === undefined) return { headers: NO_HEADERS };
    let limit: number;
    let scope = `${account.uid} ${route.method} ${route.path}`;
    if (route.perSecond === 'orders') {
      const spot = ctx.request.body?.category === 'spot';
      limit = this.budgets.bybitOrdersPerSecond ?? (spot ? SPOT_ORDERS_PER_SECOND : LINEAR_ORDERS_PER_SECOND);
      scope += spot ? ' spot' : ' linear';
    } else {
      limit = route.perSecond;
    }
    const now = ctx.engine.now();
    const answer = this.uidWindows.admit(scope, now, limit);
    const headers = {
      'X-Bapi-Limit': String(limit),
      'X-Bapi-Limit-Status': String(answer.admitted ? limit - answer.used : 0),
      'X-Bapi-Limit-Reset-Timestamp': String(answer.admitted ? now : answer.freesAt),
    };
    return answer.admitted ? { headers } : { headers, refusal: tooManyVisits(now, headers) };
  }
}
