import { CONNECTION_OPTION_KEYS, ConfigurationError, validateConnectionOptions } from '@xport/core';
import type { ExchangeConnectionOptions, MarketType } from '@xport/core';
import { CircuitBreaker, RetryPolicy } from '@xport/resilience';
import type { CircuitBreakerOptions, Clock, RetryOptions, SharedState } from '@xport/resilience';

import { isIpAddress } from './local-address';

import type { PlacementSettings } from './order-placement';
import type { VenueEventListener } from './venue-events';
import type { AccountRequestBudgets, RequestBudget } from './venue-profile';
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
  /**
   * How old a price read by another adapter of the venue may be and still size this adapter's order
   * (Bitget's quote-sized spot market buy), counted from when that read was sent. Concurrent orders
   * always share one read in flight when this is above 0; 0 reads afresh for every order. Default
   * 1 000 ms.
   */
  readonly priceMaxAgeMs?: number | undefined;
  /**
   * Whether this adapter uses the venue's keep-alive connection pool shared by every adapter of the
   * venue in the process (one pool per host and local address). Default true; false gives the
   * adapter a pool of its own, as ccxt does per instance.
   */
  readonly sharedConnections?: boolean | undefined;
  /**
   * Where the venue's request budgets, breakers and market catalogue live when several processes
   * share them (e.g. `RedisVenueState` from `@xport/redis`). Default: in this process. Like the
   * breaker settings, the first adapter of a venue in the registry sets it.
   */
  readonly venueState?: SharedState | undefined;
  /**
   * The local IP address requests leave from, on a host with several egress addresses. IP budgets
   * are kept per address. Default: the system's choice.
   */
  readonly localAddress?: string | undefined;
  /**
   * Names the account in its shared budgets (Binance's order counts, Bybit's per-UID pauses): every
   * adapter and worker with the same `accountId` on a venue draws from one budget. Default: a hash
   * of the API key, so keys of one account share only when given the same `accountId` (the venue
   * counts per account, not per key). A label: never put a key or a secret here.
   */
  readonly accountId?: string | undefined;
  /**
   * The account's budgets per market and operation replacing the venue's published ones — for a
   * simulator configured with other order counts, or an account whose limits the venue raised.
   * Like the breaker settings, the first adapter of a venue in the registry sets them.
   */
  readonly accountBudgets?: AccountRequestBudgets | undefined;
  /**
   * Told of every rate-limit refusal, budget wait and breaker change of the venue (for metrics; see
   * `VenueEvent`). Added to the venue's runtime, so it also hears the other adapters of the venue
   * in the registry; the same function given to many adapters is called once per event.
   */
  readonly onVenueEvent?: VenueEventListener | undefined;
  /** How account streams reconnect and recover (see `accountStream`). */
  readonly stream?: Partial<StreamSettings> | undefined;
}

type Fields = Readonly<Record<string, unknown>>;

/** The options `ExchangeConnectionOptions` names; through a factory they sit beside `extra`, not in it. */
const CONNECTION_KEYS: readonly string[] = CONNECTION_OPTION_KEYS.filter((key) => key !== 'extra');
const JOURNAL_KEYS: readonly string[] = ['store', 'account', 'owner', 'leaseMs'];
const JOURNAL_METHODS = ['begin', 'settle', 'get', 'pending', 'list', 'close'] as const;
/** How long a journal claim holds against other processes unless `journal.leaseMs` says otherwise. */
export const DEFAULT_LEASE_MS = 60_000;
const PRINTABLE_NAME = /^[\x21-\x7E]{1,200}$/;

/**
 * The shortest journal lease an adapter accepts. The adapter renews its claim before a step of the
 * placement (an attempt, a lookup) once a third of the lease has passed, so between renewals pass
 * at most a third of the lease and one step: an attempt and its read-back, each up to the request
 * timeout, or a wait between lookups (at most the visibility window) and a lookup. The lease must
 * cover that with the two thirds left: 1.5 × (2 × timeout + visibility window).
 */
export function minimumLeaseMs(timeoutMs: number, visibilityMs: number): number {
  return Math.ceil(1.5 * (2 * timeoutMs + visibilityMs));
}
/** The adapter's own settings; through a factory they travel in `extra`. */
const SETTING_KEYS: readonly string[] = ['clock', 'timeoutMs', 'retry', 'breaker', 'placement', 'requestBudgets', 'marketsTtlMs', 'registry', 'venueState', 'priceMaxAgeMs', 'sharedConnections', 'localAddress', 'accountId', 'accountBudgets', 'onVenueEvent', 'stream'];

/** How an account stream reconnects (full-jitter exponential backoff on the adapter's clock) and reads gaps. */
export interface StreamSettings {
  /** The first reconnect's wait before jitter. Default 500 ms. */
  readonly baseDelayMs: number;
  /** No reconnect waits longer. Default 30 000 ms. */
  readonly maxDelayMs: number;
  /**
   * After a (re)connect the fills since the last one seen are read at once and again this much
   * later, for venues whose subscription is confirmed after the socket opens. Default 1 000 ms.
   */
  readonly settleMs: number;
  /** Trades per REST page of gap recovery (the venues' smallest maximum is 100). Default 100. */
  readonly pageLimit: number;
  /**
   * The same REST read runs this often while connected, so fills a socket that went silent (open,
   * but sending nothing) never pushed still arrive. Default 10 000 ms; 0 turns it off.
   */
  readonly reconcileMs: number;
}

export const DEFAULT_STREAM_SETTINGS: StreamSettings = Object.freeze({ baseDelayMs: 500, maxDelayMs: 30_000, settleMs: 1_000, pageLimit: 100, reconcileMs: 10_000 });

const STREAM_RULES: Readonly<Record<keyof StreamSettings, { readonly integer: boolean; readonly minimum: number }>> = {
  baseDelayMs: { integer: false, minimum: 0 },
  maxDelayMs: { integer: false, minimum: 0 },
  settleMs: { integer: false, minimum: 0 },
  pageLimit: { integer: true, minimum: 1 },
  reconcileMs: { integer: false, minimum: 0 },
};
const RETRY_KEYS: readonly string[] = ['maxRetries', 'baseDelayMs', 'maxDelayMs', 'factor', 'jitter', 'budgetMs', 'retryAfter', 'signal', 'random', 'logger', 'onAttempt'];
const BREAKER_KEYS: readonly string[] = ['failureThreshold', 'openDurationMs', 'halfOpenMaxTrials', 'successThreshold', 'isFailure', 'logger', 'onStateChange'];

/** What a placement setting must be; every one is a count or a span of milliseconds. */
const PLACEMENT_RULES: Readonly<Record<keyof PlacementSettings, { readonly integer: boolean; readonly minimum: number }>> = {
  lookups: { integer: true, minimum: 1 },
  visibilityMs: { integer: false, minimum: 0 },
  maxResubmits: { integer: true, minimum: 0 },
  maxNotSentRetries: { integer: true, minimum: 0 },
  notSentDelayMs: { integer: false, minimum: 0 },
};

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Refusals name the field as the caller wrote it: `extra.placement.lookups` through a factory. */
class OptionChecker {
  constructor(
    readonly exchange: string,
    readonly prefix: string,
  ) {}

  refuse(field: string, problem: string, expected: string): never {
    throw new ConfigurationError(`${this.exchange}: ${this.prefix}${field} ${problem}`, { exchange: this.exchange, field: `${this.prefix}${field}`, expected });
  }

  expect(condition: boolean, field: string, expected: string, value: unknown): void {
    if (!condition) this.refuse(field, `must be ${expected}, got ${shown(value)}`, expected);
  }

  knownKeys(value: Fields, known: readonly string[], field: string): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.refuse(`${field}${key}`, `is not an option here (known: ${known.join(', ')})`, known.join(', '));
    }
  }

  number(value: unknown, field: string, integer: boolean, minimum: number): void {
    const expected = `${integer ? 'an integer' : 'a finite number'} >= ${minimum}`;
    this.expect(typeof value === 'number' && (integer ? Number.isSafeInteger(value) : Number.isFinite(value)) && value >= minimum, field, expected, value);
  }

  object(value: unknown, field: string): asserts value is Fields {
    this.expect(isObject(value), field, 'an object', value);
  }

  /**
   * Each field of a resilience policy's options is tried alone on the policy itself, so the rules
   * stay the policy's and the refusal can name the one field at fault.
   */
  policyFields(value: Fields, field: string, known: readonly string[], build: (single: Fields) => unknown): void {
    this.knownKeys(value, known, `${field}.`);
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (key === 'logger') this.expect(isObject(item), `${field}.logger`, 'a Logger', item);
      if (key === 'signal') this.expect(isObject(item) && 'aborted' in item && 'addEventListener' in item, `${field}.signal`, 'an AbortSignal', item);
      try {
        build({ [key]: item });
      } catch (error) {
        // The policy's message reads "RetryPolicy: maxRetries must be …"; the owner and field are said here.
        const reason = error instanceof Error ? error.message.replace(/^\w+: \w+ /, '') : String(error);
        this.refuse(`${field}.${key}`, reason, reason.replace(/^must be /, '').replace(/, got .*$/, ''));
      }
    }
  }
}

/** An object of numeric settings, each with its rule (`placement`, `stream`). */
function checkNumberFields(checker: OptionChecker, value: unknown, field: string, rules: Readonly<Record<string, { readonly integer: boolean; readonly minimum: number }>>): void {
  checker.object(value, field);
  checker.knownKeys(value, Object.keys(rules), `${field}.`);
  for (const [key, rule] of Object.entries(rules)) {
    const setting = value[key];
    if (setting !== undefined) checker.number(setting, `${field}.${key}`, rule.integer, rule.minimum);
  }
}

/** The adapter's own settings (what a factory's `extra` carries); `checker.prefix` says where they came from. */
function checkSettings(options: Fields, checker: OptionChecker): void {
  const { clock, timeoutMs, retry, breaker, placement, requestBudgets, marketsTtlMs, registry, venueState, priceMaxAgeMs, sharedConnections, localAddress, accountId, accountBudgets, onVenueEvent, stream } = options;
  if (clock !== undefined) {
    checker.expect(isObject(clock) && typeof clock.now === 'function' && typeof clock.sleep === 'function', 'clock', 'a Clock with now() and sleep()', clock);
  }
  if (timeoutMs !== undefined) {
    checker.expect(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0, 'timeoutMs', 'a positive number of milliseconds', timeoutMs);
  }
  if (retry !== undefined) {
    checker.object(retry, 'retry');
    checker.policyFields(retry, 'retry', RETRY_KEYS, (single) => new RetryPolicy(single));
  }
  if (breaker !== undefined) {
    checker.object(breaker, 'breaker');
    checker.policyFields(breaker, 'breaker', BREAKER_KEYS, (single) => new CircuitBreaker(single));
  }
  if (placement !== undefined) checkNumberFields(checker, placement, 'placement', PLACEMENT_RULES);
  if (stream !== undefined) checkNumberFields(checker, stream, 'stream', STREAM_RULES);
  if (requestBudgets !== undefined) {
    checker.object(requestBudgets, 'requestBudgets');
    checker.knownKeys(requestBudgets, ['spot', 'futures'], 'requestBudgets.');
    for (const [market, budget] of Object.entries(requestBudgets)) {
      if (budget === undefined) continue;
      const field = `requestBudgets.${market}`;
      checker.object(budget, field);
      checker.knownKeys(budget, ['capacity', 'intervalMs'], `${field}.`);
      checker.number(budget.capacity, `${field}.capacity`, false, 1);
      checker.expect(typeof budget.intervalMs === 'number' && Number.isFinite(budget.intervalMs) && budget.intervalMs > 0, `${field}.intervalMs`, 'a positive number of milliseconds', budget.intervalMs);
    }
  }
  if (marketsTtlMs !== undefined) checker.number(marketsTtlMs, 'marketsTtlMs', false, 0);
  if (priceMaxAgeMs !== undefined) checker.number(priceMaxAgeMs, 'priceMaxAgeMs', false, 0);
  if (sharedConnections !== undefined) checker.expect(typeof sharedConnections === 'boolean', 'sharedConnections', 'true or false', sharedConnections);
  if (registry !== undefined) {
    checker.expect(isObject(registry) && typeof (registry as { runtime?: unknown }).runtime === 'function', 'registry', 'a VenueRuntimeRegistry', registry);
  }
  if (venueState !== undefined) {
    const state = venueState as Partial<Record<'budget' | 'breaker' | 'cache', unknown>>;
    const shaped = isObject(venueState) && typeof state.budget === 'function' && typeof state.breaker === 'function' && isObject(state.cache);
    checker.expect(shaped, 'venueState', 'a SharedState (budget, breaker, cache)', venueState);
  }
  if (localAddress !== undefined) checker.expect(isIpAddress(localAddress), 'localAddress', 'an IPv4 or IPv6 address of this host', localAddress);
  if (accountId !== undefined) checker.expect(typeof accountId === 'string' && /^[\x21-\x7E]{1,100}$/.test(accountId), 'accountId', '1-100 printable ASCII characters', accountId);
  if (onVenueEvent !== undefined) checker.expect(typeof onVenueEvent === 'function', 'onVenueEvent', 'a function', onVenueEvent);
  if (accountBudgets !== undefined) checkAccountBudgets(accountBudgets, checker);
}

function checkAccountBudgets(accountBudgets: unknown, checker: OptionChecker): void {
  checker.object(accountBudgets, 'accountBudgets');
  checker.knownKeys(accountBudgets, ['spot', 'futures'], 'accountBudgets.');
  for (const [market, operations] of Object.entries(accountBudgets)) {
    if (operations === undefined) continue;
    checker.object(operations, `accountBudgets.${market}`);
    for (const [operation, budgets] of Object.entries(operations)) {
      const field = `accountBudgets.${market}.${operation}`;
      checker.expect(Array.isArray(budgets), field, 'an array of budgets', budgets);
      (budgets as unknown[]).forEach((budget, index) => {
        const at = `${field}[${String(index)}]`;
        checker.object(budget, at);
        checker.knownKeys(budget, ['name', 'capacity', 'intervalMs', 'usedHeader'], `${at}.`);
        checker.expect(typeof budget.name === 'string' && /^[\x21-\x7E]{1,50}$/.test(budget.name), `${at}.name`, '1-50 printable ASCII characters', budget.name);
        checker.number(budget.capacity, `${at}.capacity`, false, 1);
        checker.expect(typeof budget.intervalMs === 'number' && Number.isFinite(budget.intervalMs) && budget.intervalMs > 0, `${at}.intervalMs`, 'a positive number of milliseconds', budget.intervalMs);
        if (budget.usedHeader !== undefined) checker.expect(typeof budget.usedHeader === 'string', `${at}.usedHeader`, 'a header name', budget.usedHeader);
      });
    }
  }
}

/**
 * Checks a factory's `extra` for a ccxt-backed venue: only the adapter's own settings belong there,
 * each checked here so that a refusal names `extra.<field>`. Connection options belong beside it.
 */
export function validateExtraOptions(extra: unknown, exchange: string): void {
  const checker: OptionChecker = new OptionChecker(exchange, 'extra.');
  if (extra === undefined) return;
  if (!isObject(extra)) checker.refuse('', 'must be an object of adapter settings', 'an object');
  for (const key of Object.keys(extra)) {
    if (CONNECTION_KEYS.includes(key)) checker.refuse(key, 'is a connection option: give it beside `extra`, not inside it', `one of ${SETTING_KEYS.join(', ')}`);
  }
  checker.knownKeys(extra, SETTING_KEYS, '');
  checkSettings(extra, checker);
}

/**
 * Refuses options that cannot work, at creation rather than at the first call: the connection options
 * by core's `validateConnectionOptions`, then the adapter's own settings. Values that may be secret
 * are never quoted.
 */
export function validateAdapterOptions(options: CcxtAdapterOptions, exchange: string, requiresPassphrase: boolean): void {
  const checker: OptionChecker = new OptionChecker(exchange, '');
  if (!isObject(options)) checker.refuse('options', 'must be an object', 'an object');
  const fields = options as unknown as Fields;
  checker.knownKeys(fields, [...CONNECTION_KEYS, ...SETTING_KEYS], '');
  // The connection options' rules are core's, the ones a factory applies before building an adapter.
  validateConnectionOptions(fields, { name: exchange, requiresPassphrase });
  checkSettings(fields, checker);
}

/**
 * Checks the journal option (names `journal.<field>`); `minimumLease` is what `minimumLeaseMs` gives
 * for the adapter's timeout and the venue's visibility window. The account and owner are not
 * secret and may be quoted.
 */
export function validateJournalOption(journal: unknown, exchange: string, minimumLease: number): void {
  if (journal === undefined) return;
  const checker: OptionChecker = new OptionChecker(exchange, '');
  checker.object(journal, 'journal');
  checker.knownKeys(journal, JOURNAL_KEYS, 'journal.');
  const store = journal.store;
  checker.expect(isObject(store) && JOURNAL_METHODS.every((method) => typeof store[method] === 'function'), 'journal.store', `an OrderJournal (${JOURNAL_METHODS.join(', ')})`, store);
  checker.expect(typeof journal.account === 'string' && PRINTABLE_NAME.test(journal.account), 'journal.account', 'a stable account name of 1-200 printable ASCII characters (a follower id, never an API key)', journal.account);
  if (journal.owner !== undefined) {
    checker.expect(typeof journal.owner === 'string' && PRINTABLE_NAME.test(journal.owner), 'journal.owner', 'a name unique to this process, 1-200 printable ASCII characters (see journalOwner())', journal.owner);
  }
  if (journal.leaseMs !== undefined) checker.number(journal.leaseMs, 'journal.leaseMs', true, 1);
  const leaseMs = (journal.leaseMs as number | undefined) ?? DEFAULT_LEASE_MS;
  if (leaseMs <= minimumLease) {
    const given = journal.leaseMs === undefined ? `the default ${DEFAULT_LEASE_MS}` : String(leaseMs);
    checker.refuse('journal.leaseMs', `must be more than ${minimumLease} ms (1.5 × (2 × timeoutMs + the visibility window)), got ${given}`, `more than ${minimumLease}`);
  }
}
