import type { VenueRateLimit } from './venue-profile';

/** The venue's last answer as ccxt kept it: headers (any case) and the raw body. */
export interface VenueAnswer {
  header(name: string): string | undefined;
  readonly body: string | undefined;
}

/** What remains of one account's budget on one endpoint, and when it frees (adapter clock). */
export interface AccountBudget {
  readonly remaining: number;
  readonly resetAt: number;
}

/** How long a rate-limit refusal asks the caller to wait, and who waits. */
export interface RateLimitRefusal {
  /** undefined when the venue named no wait. */
  readonly waitMs: number | undefined;
  /** `account`: the account's own budget is spent (others on the IP carry on); `ip`: everyone's. */
  readonly scope: 'account' | 'ip';
}

/**
 * The venue's clock when it answered, for venues that stamp their answers (Bybit's envelope `time`):
 * a reset timestamp is on the venue's clock, and the difference to ours must not shorten the wait.
 */
function venueTimeOf(body: string | undefined): number | undefined {
  if (body === undefined) return undefined;
  const match = /"time"\s*:\s*(\d{10,})/.exec(body);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * The account's budget from the venue's per-account headers (Bybit: `X-Bapi-Limit-Status` and
 * `X-Bapi-Limit-Reset-Timestamp`), with the reset moved onto the adapter's clock. Bybit names a reset
 * only once the budget is spent; before that the timestamp is just the current time, so when the
 * last place has just been taken the budget frees within the venue's window at the latest.
 */
export function accountBudgetOf(rateLimit: VenueRateLimit, answer: VenueAnswer, now: number): AccountBudget | undefined {
  const headers = rateLimit.accountHeaders;
  if (headers === undefined) return undefined;
  const remaining = Number(answer.header(headers.remaining));
  const venueReset = Number(answer.header(headers.resetAt));
  if (!Number.isFinite(remaining) || !Number.isFinite(venueReset)) return undefined;
  const venueNow = venueTimeOf(answer.body) ?? now;
  const resetAt = now + Math.max(0, venueReset - venueNow);
  if (remaining <= 0 && resetAt <= now && headers.windowMs !== undefined) return { remaining, resetAt: now + headers.windowMs };
  return { remaining, resetAt };
}

/**
 * Reads a rate-limit refusal: the wait from `Retry-After`, else from a spent account budget's reset,
 * else from what the refusal itself says (Binance -1015 names its window, Bybit's 403 means a
 * ten-minute ban); and whether it holds one account (Binance -1015, Bybit 10006) or the whole IP.
 */
export function readRateLimitRefusal(
  rateLimit: VenueRateLimit,
  answer: VenueAnswer,
  refusal: { readonly code: string | undefined; readonly message: string },
  now: number,
): RateLimitRefusal {
  const scope = refusal.code !== undefined && rateLimit.accountRefusalCodes?.includes(refusal.code) === true ? 'account' : 'ip';
  const seconds = Number(answer.header('retry-after'));
  if (Number.isFinite(seconds) && seconds > 0) return { waitMs: seconds * 1_000, scope };
  const budget = accountBudgetOf(rateLimit, answer, now);
  if (budget !== undefined && budget.remaining <= 0 && budget.resetAt > now) return { waitMs: budget.resetAt - now, scope };
  return { waitMs: rateLimit.refusalWaitMs?.(refusal.message), scope };
}
