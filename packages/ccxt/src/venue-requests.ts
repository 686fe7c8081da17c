import { ExchangeError, OperationAbortedError, RateLimitError } from '@xport/core';
import type { LogFields, LogLevel, MarketType, Secret } from '@xport/core';
import { compose, RetryPolicy } from '@xport/resilience';
import type { Clock, RetryOptions } from '@xport/resilience';

import type { CcxtExchange as Exchange } from './ccxt-types';
import { operationAborted } from './operation-aborted';
import { accountBudgetOf, readRateLimitRefusal } from './rate-limit-refusal';
import type { BudgetScope } from './venue-events';
import type { VenueAnswer } from './rate-limit-refusal';
import { translateCcxtError, venueCodeOf, venueMeaningOf } from './translate-error';
import type { VenueErrorMeaning } from './translate-error';
import type { VenueOperation, VenueProfile } from './venue-profile';
import type { AccountBudgetUse, VenueRuntime } from './venue-runtime';

/** One request to the venue: what it is (for budgets and errors), on which ccxt instance, and who may abort it. */
export interface VenueRequest {
  /** The venue operation, which names its weight in the budget. */
  readonly operation: VenueOperation;
  /** The market whose budget (and, for reads, breaker) the request uses. */
  readonly market: MarketType;
  /** The port method it serves, named in errors and logs. */
  readonly portOperation: string;
  readonly exchange: Exchange;
  readonly signal?: AbortSignal | undefined;
}

export interface VenueRequestsOptions {
  readonly profile: VenueProfile;
  readonly runtime: VenueRuntime;
  /** Names the account in its shared budgets (a label, never a key or a secret). */
  readonly account: string;
  readonly clock: Clock;
  /** Retry of reads and setup calls (never orders), on outages only. */
  readonly retry?: Omit<RetryOptions, 'clock' | 'isRetryable' | 'name'> | undefined;
  /** Credential values scrubbed from every error the venue's answers produce. */
  readonly secrets: readonly (Secret | string | undefined)[];
  readonly log: (level: LogLevel, event: string, fields: LogFields) => void;
}

/** Outages count against the breaker and are retried on reads; refusals are the caller's. */
export function isOutage(error: unknown): boolean {
  if (ExchangeError.isInstance(error)) return error.retryable;
  return (error as { retryable?: unknown } | null)?.retryable === true;
}

/**
 * How one account's adapter talks to its venue: every request waits for the venue's shared budget
 * of its address, then for the account's own (kept by venue × account, so every worker on the
 * account shares it), before ccxt signs it; the venue's counters in the answer are adopted; ccxt's
 * error becomes a domain error, a rate-limit refusal pauses whoever it holds (the account's budgets
 * or the address's), a timestamp refusal resynchronises the clock, and reads are retried on outages
 * through the venue-market breaker. Waits and refusals are reported on the runtime's events.
 */
export class VenueRequests {
  readonly #profile: VenueProfile;
  readonly #runtime: VenueRuntime;
  readonly #clock: Clock;
  readonly #retry: RetryPolicy;
  readonly #secrets: readonly (Secret | string | undefined)[];
  readonly #log: VenueRequestsOptions['log'];
  readonly #account: string;

  constructor(options: VenueRequestsOptions) {
    this.#profile = options.profile;
    this.#runtime = options.runtime;
    this.#clock = options.clock;
    this.#secrets = options.secrets;
    this.#log = options.log;
    this.#account = options.account;
    this.#retry = new RetryPolicy({
      ...options.retry,
      name: `${options.profile.id}.read`,
      clock: options.clock,
      isRetryable: (error) => isOutage(error),
    });
  }

  /**
   * One request, sent once: waits for the venue budget first (before ccxt signs), then translates
   * errors. An abort during those waits ends the call before anything is sent (OperationAbortedError).
   */
  async call<T>(request: VenueRequest, send: () => Promise<T>): Promise<T> {
    const { operation, market, portOperation, exchange, signal } = request;
    const limiter = this.#runtime.limiter(market);
    const accountBudgets = this.#runtime.accountBudgets(market, operation, this.#account);
    try {
      // The account's budgets last: once they grant, the request leaves at once, inside their window.
      await this.#wait(request, 'ip', () => limiter.acquire(this.#profile.rateLimit.weights[operation] ?? 1, signal));
      const endpoint = this.#runtime.endpointLimiter(market, operation);
      if (endpoint !== undefined) await this.#wait(request, 'endpoint', () => endpoint.acquire(1, signal));
      for (const use of accountBudgets) await this.#wait(request, 'account', () => use.budget.acquire(use.weight, signal));
    } catch (error) {
      if (signal?.aborted === true) throw operationAborted(this.#profile.id, portOperation, signal, 'next request');
      throw error;
    }
    try {
      const result = await send();
      this.#observeUsage(exchange, market, accountBudgets);
      return result;
    } catch (error) {
      this.#observeUsage(exchange, market, accountBudgets);
      const message = error instanceof Error ? error.message : '';
      const bodyCode = bodyCodeOf(exchange);
      const code = venueCodeOf(message) ?? bodyCode;
      const refusal = readRateLimitRefusal(this.#profile.rateLimit, answerOf(exchange), { code, message }, this.#clock.now());
      const translated = translateCcxtError(error, {
        exchange: this.#profile.id,
        operation: portOperation,
        secrets: this.#secrets,
        classifyCode: (venueCode, text) => this.#profile.classifyCode(venueCode, text),
        retryAfterMs: refusal.waitMs,
        bodyCode,
      });
      if (RateLimitError.isInstance(translated)) {
        // An account's own budget holds that account only (in every worker); an IP-wide refusal holds every key on the address.
        const waitMs = refusal.waitMs ?? 1_000;
        if (refusal.scope === 'account' && accountBudgets.length > 0) for (const use of accountBudgets) use.budget.penalise(waitMs);
        else limiter.penalise(waitMs);
        this.#runtime.events.emit({
          type: 'rate_limited',
          venue: this.#profile.id,
          market,
          operation,
          refusal: (refusal.scope === 'account' ? code : undefined) ?? httpStatusOf(message) ?? code ?? 'unknown',
          scope: refusal.scope,
          waitMs: refusal.waitMs,
          time: this.#clock.now(),
        });
      }
      if (venueMeaningOf(translated) === 'timestamp' && signal?.aborted !== true) await this.#resyncClock(exchange);
      throw translated;
    }
  }

  /** Waits for one budget, reporting how long it took on the adapter clock. */
  async #wait(request: VenueRequest, scope: BudgetScope, acquire: () => Promise<void>): Promise<void> {
    const events = this.#runtime.events;
    if (!events.listening) return acquire();
    const asked = this.#clock.now();
    await acquire();
    const now = this.#clock.now();
    events.emit({ type: 'budget_wait', venue: this.#profile.id, market: request.market, operation: request.operation, scope, waitedMs: Math.max(0, now - asked), time: now });
  }

  /**
   * A read or setup call: retried with backoff on outages, through the venue-market breaker
   * (`breaker: false` for the market load, which no market's outage should hold). Once the signal
   * aborts, nothing more is sent and the call ends in OperationAbortedError.
   */
  async read<T>(request: VenueRequest & { readonly breaker?: boolean }, send: () => Promise<T>): Promise<T> {
    const { market, portOperation, signal } = request;
    const once = (): Promise<T> => this.call(request, send);
    const policy = request.breaker === false ? this.#retry : compose(this.#retry, this.#runtime.breaker(market));
    try {
      return await policy.execute(once, signal);
    } catch (error) {
      if (signal?.aborted === true && !OperationAbortedError.isInstance(error)) throw operationAborted(this.#profile.id, portOperation, signal, 'read');
      throw error;
    }
  }

  /** What the venue's code on a translated error means (decided once, when the error was translated). */
  meaning(error: unknown): VenueErrorMeaning | undefined {
    return venueMeaningOf(error);
  }

  async #resyncClock(exchange: Exchange): Promise<void> {
    const sync = (exchange as unknown as { loadTimeDifference?: () => Promise<unknown> }).loadTimeDifference;
    if (typeof sync !== 'function') return;
    try {
      await sync.call(exchange);
      const difference = (exchange.options).timeDifference;
      if (typeof difference === 'number') this.#runtime.timeDifference = difference;
      this.#log('info', 'exchange.clock.resynced', { timeDifference: difference });
    } catch {
      // The retry that follows reports the failure.
    }
  }

  /**
   * Adopts the venue's own counters from its answer: the address's used weight (Binance
   * `X-MBX-USED-WEIGHT-1M`), the account's order counts (`X-MBX-ORDER-COUNT-*`), and a spent
   * account budget's reset (Bybit `X-Bapi-Limit-Status` at 0), which pauses the account everywhere.
   */
  #observeUsage(exchange: Exchange, market: MarketType, accountBudgets: readonly AccountBudgetUse[]): void {
    const { usedWeightHeader, accountHeaders } = this.#profile.rateLimit;
    const now = this.#clock.now();
    if (usedWeightHeader !== undefined) {
      const used = Number(headerOf(exchange, usedWeightHeader));
      if (Number.isFinite(used) && used > 0) this.#runtime.limiter(market).observe(used, now);
    }
    for (const { budget, spec } of accountBudgets) {
      if (spec.usedHeader === undefined) continue;
      const used = Number(headerOf(exchange, spec.usedHeader));
      if (Number.isFinite(used) && used > 0) budget.observe(used, now);
    }
    if (accountHeaders !== undefined) {
      const spent = accountBudgetOf(this.#profile.rateLimit, answerOf(exchange), now);
      if (spent !== undefined && spent.remaining <= 0 && spent.resetAt > now) for (const { budget } of accountBudgets) budget.penalise(spent.resetAt - now);
    }
  }
}

function headerOf(exchange: Exchange, name: string): string | undefined {
  const headers = (exchange as unknown as { last_response_headers?: Record<string, string> }).last_response_headers;
  if (headers === undefined) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The venue code in the body ccxt just read, for errors whose ccxt message carries only text. */
function bodyCodeOf(exchange: Exchange): string | undefined {
  const body = (exchange as { last_http_response?: unknown }).last_http_response;
  return typeof body === 'string' ? venueCodeOf(body) : undefined;
}

/** The HTTP status a ccxt error names in its message (`binance 418 ...`), for refusals without a venue code. */
function httpStatusOf(message: string): string | undefined {
  return /\b(418|429|403)\b/.exec(message)?.[1];
}

/** The last answer ccxt received, for reading the venue's rate-limit headers. */
function answerOf(exchange: Exchange): VenueAnswer {
  const body = (exchange as { last_http_response?: unknown }).last_http_response;
  return { header: (name) => headerOf(exchange, name), body: typeof body === 'string' ? body : undefined };
}
