import { ExchangeError, OperationAbortedError, RateLimitError } from '@xport/core';
import type { LogFields, LogLevel, MarketType, Secret } from '@xport/core';
import { compose, RetryPolicy } from '@xport/resilience';
import type { Clock, RetryOptions } from '@xport/resilience';

import type { CcxtExchange as Exchange } from './ccxt-types';
import { operationAborted } from './operation-aborted';
import { accountBudgetOf, readRateLimitRefusal } from './rate-limit-refusal';
import type { VenueAnswer } from './rate-limit-refusal';
import { translateCcxtError, venueCodeOf, venueMeaningOf } from './translate-error';
import type { VenueErrorMeaning } from './translate-error';
import type { VenueOperation, VenueProfile } from './venue-profile';
import type { VenueRuntime } from './venue-runtime';

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
 * (and the account's own, where the venue reports one) before ccxt signs it, ccxt's error becomes a
 * domain error, a rate-limit refusal pauses whoever it holds, a timestamp refusal resynchronises the
 * clock, and reads are retried on outages through the venue-market breaker.
 */
export class VenueRequests {
  readonly #profile: VenueProfile;
  readonly #runtime: VenueRuntime;
  readonly #clock: Clock;
  readonly #retry: RetryPolicy;
  readonly #secrets: readonly (Secret | string | undefined)[];
  readonly #log: VenueRequestsOptions['log'];
  /** What the venue said is left of this account's budget, per operation (Bybit: per UID and endpoint). */
  readonly #accountBudget = new Map<VenueOperation, { remaining: number; resetAt: number }>();

  constructor(options: VenueRequestsOptions) {
    this.#profile = options.profile;
    this.#runtime = options.runtime;
    this.#clock = options.clock;
    this.#secrets = options.secrets;
    this.#log = options.log;
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
    try {
      await limiter.acquire(this.#profile.rateLimit.weights[operation] ?? 1, signal);
      await this.#runtime.endpointLimiter(market, operation)?.acquire(1, signal);
      await this.#waitForAccountBudget(operation, signal);
    } catch (error) {
      if (signal?.aborted === true) throw operationAborted(this.#profile.id, portOperation, signal, 'next request');
      throw error;
    }
    try {
      const result = await send();
      this.#observeUsage(exchange, market, operation);
      return result;
    } catch (error) {
      this.#observeUsage(exchange, market, operation);
      const message = error instanceof Error ? error.message : '';
      const bodyCode = bodyCodeOf(exchange);
      const refusal = readRateLimitRefusal(this.#profile.rateLimit, answerOf(exchange), { code: venueCodeOf(message) ?? bodyCode, message }, this.#clock.now());
      const translated = translateCcxtError(error, {
        exchange: this.#profile.id,
        operation: portOperation,
        secrets: this.#secrets,
        classifyCode: (code, text) => this.#profile.classifyCode(code, text),
        retryAfterMs: refusal.waitMs,
        bodyCode,
      });
      if (RateLimitError.isInstance(translated)) {
        // An account's own budget holds that account only; an IP-wide refusal holds every key.
        if (refusal.scope === 'account') this.#accountBudget.set(operation, { remaining: 0, resetAt: this.#clock.now() + (refusal.waitMs ?? 1_000) });
        else limiter.penalise(refusal.waitMs ?? 1_000);
      }
      if (venueMeaningOf(translated) === 'timestamp' && signal?.aborted !== true) await this.#resyncClock(exchange);
      throw translated;
    }
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

  #observeUsage(exchange: Exchange, market: MarketType, operation: VenueOperation): void {
    const { usedWeightHeader, accountHeaders } = this.#profile.rateLimit;
    if (usedWeightHeader !== undefined) {
      const used = Number(headerOf(exchange, usedWeightHeader));
      if (Number.isFinite(used) && used > 0) this.#runtime.limiter(market).observe(used, this.#clock.now());
    }
    if (accountHeaders !== undefined) {
      const budget = accountBudgetOf(this.#profile.rateLimit, answerOf(exchange), this.#clock.now());
      if (budget !== undefined) this.#accountBudget.set(operation, budget);
    }
  }

  /** Waits out an account budget the venue said is spent (Bybit: per UID and endpoint). */
  async #waitForAccountBudget(operation: VenueOperation, signal: AbortSignal | undefined): Promise<void> {
    const budget = this.#accountBudget.get(operation);
    if (budget === undefined || budget.remaining > 0) return;
    const waitMs = budget.resetAt - this.#clock.now();
    this.#accountBudget.delete(operation);
    if (waitMs > 0) await this.#clock.sleep(Math.min(waitMs, 1_000), signal);
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

/** The last answer ccxt received, for reading the venue's rate-limit headers. */
function answerOf(exchange: Exchange): VenueAnswer {
  const body = (exchange as { last_http_response?: unknown }).last_http_response;
  return { header: (name) => headerOf(exchange, name), body: typeof body === 'string' ? body : undefined };
}
