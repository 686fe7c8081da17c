import { OUT_OF_REACH, type BudgetSpecs, type BudgetValues } from '../../budget-spec';
import type { VenueResponse } from '../../contract';
import { binanceError } from './errors';
import { FixedWindowCounter } from '../shared/fixed-window';

/**
 * The budgets Binance's module takes, each replacing a published limit (sources in FIDELITY.md,
 * "Rate limits"). IP budgets are kept per client source address, account budgets per account.
 */
export const BINANCE_BUDGETS = {
  /** Request weight per IP per minute, every API family (real: 6000 spot, 12000 sapi, 2400 USDⓈ-M). */
  binanceWeightPerMinute: {
    flag: 'binance-weight-per-minute',
    meaning: 'Binance: request weight per IP per minute, in every API family',
    real: '6000 /api, 12000 /sapi, 2400 /fapi',
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
  /** Spot: unfilled orders per account per 10 s (real: 100). */
  binanceSpotOrdersPer10s: {
    flag: 'binance-spot-orders-per-10s',
    meaning: 'Binance spot: unfilled orders per account per 10 s',
    real: 100,
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
  /** Spot: unfilled orders per account per UTC day (real: 200 000). */
  binanceSpotOrdersPerDay: {
    flag: 'binance-spot-orders-per-day',
    meaning: 'Binance spot: unfilled orders per account per UTC day',
    real: 200_000,
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
  /** USDⓈ-M: orders per account per 10 s (real: 300). */
  binanceFuturesOrdersPer10s: {
    flag: 'binance-futures-orders-per-10s',
    meaning: 'Binance USDⓈ-M: orders per account per 10 s',
    real: 300,
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
  /** USDⓈ-M: orders per account per minute (real: 1200). */
  binanceFuturesOrdersPerMinute: {
    flag: 'binance-futures-orders-per-minute',
    meaning: 'Binance USDⓈ-M: orders per account per minute',
    real: 1_200,
    kind: 'limit',
    lifted: OUT_OF_REACH,
  },
  /**
   * Spot: how long after a fill the order leaves the unfilled count (documented as "within
   * 1000ms"; default 1000). 0 takes it off at once, so market orders never accumulate.
   */
  binanceSpotFillDecrementMs: {
    flag: 'binance-spot-fill-decrement-ms',
    meaning: 'Binance spot: ms from a fill until the order leaves the unfilled count, 0 at once',
    real: 1_000,
    kind: 'delay',
  },
} as const satisfies BudgetSpecs;

export type BinanceBudgets = BudgetValues<typeof BINANCE_BUDGETS>;

const MINUTE = 60_000;
/** Binance's first IP ban lasts two minutes and doubles for a repeat offender, up to three days. */
const FIRST_BAN_MS = 2 * MINUTE;
const MAX_BAN_MS = 3 * 24 * 60 * MINUTE;
/** 429s a client may receive in one window before the next request earns a 418 ban. */
const TOLERATED_429S = 3;

/** Each API family keeps its own per-IP weight: spot (`/api`), wallet (`/sapi`), USDⓈ-M, COIN-M. */
export type WeightPool = 'api' | 'sapi' | 'fapi' | 'dapi';

const REAL_BUDGETS: Readonly<Record<WeightPool, number>> = { api: 6000, sapi: 12_000, fapi: 2400, dapi: 2400 };

export function weightPoolOf(path: string): WeightPool {
  if (path.startsWith('/fapi/')) return 'fapi';
  if (path.startsWith('/sapi/')) return 'sapi';
  if (path.startsWith('/dapi/')) return 'dapi';
  return 'api';
}

function usedWeightHeader(pool: WeightPool): string {
  return pool === 'sapi' ? 'X-SAPI-USED-IP-WEIGHT-1M' : 'X-MBX-USED-WEIGHT-1M';
}

export function retryAfterSeconds(ms: number): string {
  return String(Math.max(1, Math.ceil(ms / 1000)));
}

export function tooMuchWeight(limit: number, retryAfterMs: number): VenueResponse {
  return binanceError(
    429,
    -1003,
    `Too much request weight used; current limit is ${limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
    { 'Retry-After': retryAfterSeconds(retryAfterMs) },
  );
}

export function ipBanned(until: number, retryAfterMs: number): VenueResponse {
  return binanceError(
    418,
    -1003,
    `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.`,
    { 'Retry-After': retryAfterSeconds(retryAfterMs) },
  );
}

interface Offender {
  /** Window start of the 429s counted in `refusals`. */
  window: number;
  refusals: number;
  bans: number;
  bannedUntil: number;
}

export interface WeightCharge {
  readonly headers: Readonly<Record<string, string>>;
  readonly refusal?: VenueResponse;
}

/**
 * Binance's request-weight limit: every request costs its endpoint's weight against a one-minute
 * window per client IP and API family, shared by every key calling from that IP (one copy-trading
 * process driving hundreds of accounts spends one budget). Over budget the answer is 429 with
 * `Retry-After`; a client that keeps sending through its 429s is banned with 418, longer each time.
 * The wallet family (`/sapi`) differs: each endpoint has its own budget per IP, and it answers 429
 * only, never a ban.
 */
export class BinanceWeightLimiter {
  private readonly counter = new FixedWindowCounter(MINUTE);
  private readonly offenders = new Map<string, Offender>();
  private readonly budgets: Readonly<Record<WeightPool, number>>;

  constructor(budgets: BinanceBudgets) {
    const override = budgets.binanceWeightPerMinute;
    this.budgets = override === undefined ? REAL_BUDGETS : { api: override, sapi: override, fapi: override, dapi: override };
  }

  budget(pool: WeightPool): number {
    return this.budgets[pool];
  }

  /** Charges `weight` for a request to `path` from `ip`. */
  charge(ip: string, path: string, weight: number, now: number): WeightCharge {
    const pool = weightPoolOf(path);
    const key = pool === 'sapi' ? `${pool} ${path} ${ip}` : `${pool} ${ip}`;
    const offender = this.offenders.get(key);
    if (offender && offender.bannedUntil > now) {
      return { headers: {}, refusal: ipBanned(offender.bannedUntil, offender.bannedUntil - now) };
    }
    const use = this.counter.hit(key, now, weight);
    const headers = { [usedWeightHeader(pool)]: String(use.used) };
    const limit = this.budgets[pool];
    if (use.used <= limit) return { headers };
    if (pool === 'sapi') return { headers, refusal: tooMuchWeight(limit, use.resetAt - now) };

    const window = use.resetAt - MINUTE;
    const record = offender ?? { window, refusals: 0, bans: 0, bannedUntil: 0 };
    if (record.window !== window) {
      record.window = window;
      record.refusals = 0;
    }
    this.offenders.set(key, record);
    if (record.refusals < TOLERATED_429S) {
      record.refusals += 1;
      return { headers, refusal: tooMuchWeight(limit, use.resetAt - now) };
    }
    const banMs = Math.min(FIRST_BAN_MS * 2 ** record.bans, MAX_BAN_MS);
    record.bans += 1;
    record.refusals = 0;
    record.bannedUntil = now + banMs;
    return { headers, refusal: ipBanned(record.bannedUntil, banMs) };
  }
}
