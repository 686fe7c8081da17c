import { ConfigurationError } from '@xport/core';
import type { ExchangeConnectionOptions, MarketType } from '@xport/core';
import type { CircuitBreakerOptions, Clock, RetryOptions } from '@xport/resilience';

import type { PlacementSettings } from './order-placement';
import type { RequestBudget } from './venue-profile';
import type { VenueRuntimeRegistry } from './venue-runtime';

/**
 * What every ccxt-backed adapter takes (the venue packages add nothing but their profile): the
 * connection options every venue's factory entry takes (credentials, testnet, baseUrl, logger,
 * onEvent, positionMode), plus the adapter's own settings below.
 */
export interface CcxtAdapterOptions extends Omit<ExchangeConnectionOptions, 'extra'> {
  /** Time for retries, breakers, rate limits and reconciliation. Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Per-request timeout handed to ccxt, ms. Default 10 000. */
  readonly timeoutMs?: number | undefined;
  /** Retry of reads and setup calls (orders are never retried blindly). Defaults: 3 retries, 1 s base, full jitter. */
  readonly retry?: Omit<RetryOptions, 'clock' | 'isRetryable' | 'name'> | undefined;
  /** The venue-wide breakers' settings; the first adapter of a venue in the process sets them. */
  readonly breaker?: Omit<CircuitBreakerOptions, 'clock' | 'name'> | undefined;
  readonly placement?: Partial<PlacementSettings> | undefined;
  /**
   * Request budgets per market replacing the venue's published ones — for a simulator configured
   * with other limits, or an account whose limits the venue raised. Like the breaker settings, the
   * first adapter of a venue in the process sets them.
   */
  readonly requestBudgets?: Partial<Record<MarketType, RequestBudget>> | undefined;
  /** Markets are reused for this long before a reload. Default 1 hour. */
  readonly marketsTtlMs?: number | undefined;
  /** Where venue-wide state lives; default one registry per process. Tests pass their own. */
  readonly registry?: VenueRuntimeRegistry | undefined;
}

function requireText(value: unknown, field: string, exchange: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigurationError(`${exchange}: ${field} is required (${what})`, { exchange, field, expected: 'a non-empty string' });
  }
  return value;
}

/** Refuses options that cannot work, at creation rather than at the first call. */
export function validateAdapterOptions(options: CcxtAdapterOptions, exchange: string, requiresPassphrase: boolean): void {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new ConfigurationError(`${exchange}: options must be an object`, { exchange, field: 'options', expected: 'an object' });
  }
  requireText(options.apiKey, 'apiKey', exchange, 'the API key');
  requireText(options.apiSecret, 'apiSecret', exchange, 'the API secret');
  if (requiresPassphrase) requireText(options.passphrase, 'passphrase', exchange, `${exchange} API keys come with a passphrase`);
  if (options.baseUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(options.baseUrl);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new ConfigurationError(`${exchange}: baseUrl must be an http(s) URL, got ${JSON.stringify(options.baseUrl)}`, {
        exchange,
        field: 'baseUrl',
        expected: 'an http:// or https:// URL',
      });
    }
  }
  if (options.testnet !== undefined && typeof options.testnet !== 'boolean') {
    throw new ConfigurationError(`${exchange}: testnet must be true or false`, { exchange, field: 'testnet', expected: 'a boolean' });
  }
  const positionMode: unknown = options.positionMode;
  if (positionMode !== undefined && positionMode !== 'oneway' && positionMode !== 'hedge') {
    throw new ConfigurationError(`${exchange}: positionMode must be "oneway" or "hedge"`, { exchange, field: 'positionMode', expected: '"oneway" | "hedge"' });
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    throw new ConfigurationError(`${exchange}: timeoutMs must be a positive number of milliseconds`, { exchange, field: 'timeoutMs', expected: '> 0' });
  }
}
