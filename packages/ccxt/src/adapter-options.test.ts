import { inspect } from 'node:util';

import { ConfigurationError, MemoryOrderJournal } from '@xport/core';
import { FakeClock } from '@xport/resilience';
import { describe, expect, it } from 'vitest';

import { CcxtExchangeAdapter } from './ccxt-adapter';
import { venueDescriptor } from './venue-descriptor';
import type { VenueProfile } from './venue-profile';
import { VenueRuntimeRegistry } from './venue-runtime';

/** Construction reads only these; nothing here is ever called, because construction sends nothing. */
const profile = {
  id: 'acme',
  packageName: '@xport/acme',
  requiresPassphrase: false,
  orderVisibilityMs: 3_000,
  clientOrderId: { maxLength: 36, pattern: /^[a-z0-9]+$/ },
  rateLimit: { spot: { capacity: 10, intervalMs: 1_000 }, futures: { capacity: 10, intervalMs: 1_000 }, weights: {} },
} as unknown as VenueProfile;

const credentials = { apiKey: 'key-0123456789', apiSecret: 'secret-0123456789' };

/** The ConfigurationError `create` throws, or a failure naming what it threw instead. */
function refusal(create: () => unknown): ConfigurationError {
  try {
    create();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw new Error(`expected a ConfigurationError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a ConfigurationError, nothing was thrown');
}

const throughFactory = (extra: unknown) => (): unknown => venueDescriptor(profile).create({ ...credentials, extra: extra as Record<string, unknown> });
const direct = (options: Record<string, unknown>) => (): unknown => new CcxtExchangeAdapter(profile, { ...credentials, ...options });

describe('adapter options are checked once, at creation, naming the field', () => {
  it.each<[string, unknown, string, RegExp]>([
    ['no lookups', { placement: { lookups: 0 } }, 'extra.placement.lookups', /extra\.placement\.lookups must be an integer >= 1, got 0/],
    ['a negative visibility window', { placement: { visibilityMs: -5 } }, 'extra.placement.visibilityMs', /must be a finite number >= 0, got -5/],
    ['a fractional resubmit count', { placement: { maxResubmits: 1.5 } }, 'extra.placement.maxResubmits', /an integer >= 0/],
    ['a misspelt placement key', { placement: { lookup: 3 } }, 'extra.placement.lookup', /is not an option here/],
    ['a markets TTL in words', { marketsTtlMs: 'abc' }, 'extra.marketsTtlMs', /must be a finite number >= 0, got "abc"/],
    ['an unknown key', { retries: 3 }, 'extra.retries', /is not an option here \(known: clock, timeoutMs, retry/],
    ['a negative retry count', { retry: { maxRetries: -1 } }, 'extra.retry.maxRetries', /extra\.retry\.maxRetries must be an integer >= 0, got -1/],
    ['an unknown jitter', { retry: { jitter: 'wild' } }, 'extra.retry.jitter', /must be one of none, full, equal, decorrelated/],
    ["a retry's own clock", { retry: { clock: new FakeClock() } }, 'extra.retry.clock', /is not an option here/],
    ['a zero breaker threshold', { breaker: { failureThreshold: 0 } }, 'extra.breaker.failureThreshold', /must be an integer >= 1, got 0/],
    ['a breaker predicate that is not a function', { breaker: { isFailure: true } }, 'extra.breaker.isFailure', /must be a function/],
    ['an empty request budget', { requestBudgets: { spot: { capacity: 0, intervalMs: 1_000 } } }, 'extra.requestBudgets.spot.capacity', /must be a finite number >= 1, got 0/],
    ['a budget for a market xport does not trade', { requestBudgets: { margin: { capacity: 5, intervalMs: 1_000 } } }, 'extra.requestBudgets.margin', /is not an option here/],
    ['a clock without sleep', { clock: { now: () => 0 } }, 'extra.clock', /a Clock with now\(\) and sleep\(\)/],
    ['a timeout of zero', { timeoutMs: 0 }, 'extra.timeoutMs', /a positive number of milliseconds/],
    ['a registry that is not one', { registry: {} }, 'extra.registry', /a VenueRuntimeRegistry/],
    ['a venue state without a cache', { venueState: { budget: () => undefined, breaker: () => undefined } }, 'extra.venueState', /a SharedState \(budget, breaker, cache\)/],
    ['a local address that is a host name', { localAddress: 'worker-2.internal' }, 'extra.localAddress', /an IPv4 or IPv6 address of this host, got "worker-2.internal"/],
    ['a negative price age', { priceMaxAgeMs: -1 }, 'extra.priceMaxAgeMs', /must be a finite number >= 0, got -1/],
    ['shared connections in words', { sharedConnections: 'yes' }, 'extra.sharedConnections', /must be true or false, got "yes"/],
    ['an account id with a space', { accountId: 'main account' }, 'extra.accountId', /1-100 printable ASCII characters, got "main account"/],
    ['a venue-event listener that is not a function', { onVenueEvent: 'metrics' }, 'extra.onVenueEvent', /must be a function/],
    ['account budgets that are not a list', { accountBudgets: { spot: { createOrder: { capacity: 5 } } } }, 'extra.accountBudgets.spot.createOrder', /an array of budgets/],
    ['an account budget of zero', { accountBudgets: { futures: { createOrder: [{ name: 'orders-10s', capacity: 0, intervalMs: 10_000 }] } } }, 'extra.accountBudgets.futures.createOrder[0].capacity', /must be a finite number >= 1, got 0/],
    ['a connection option inside extra', { apiKey: 'other' }, 'extra.apiKey', /is a connection option: give it beside `extra`/],
    ['extra that is not an object', 'fast', 'extra.', /must be an object/],
  ])('through a factory (extra): %s', (_label, extra, field, message) => {
    const error = refusal(throughFactory(extra));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.exchange).toBe('acme');
  });

  it('names the field without `extra.` when the adapter is built directly', () => {
    expect(refusal(direct({ placement: { lookups: 0 } })).message).toBe('acme: placement.lookups must be an integer >= 1, got 0');
    expect(refusal(direct({ retry: { maxRetries: -1 } })).field).toBe('retry.maxRetries');
    expect(refusal(direct({ onEvent: 'log' })).field).toBe('onEvent');
    expect(refusal(direct({ logger: { info: () => undefined } })).field).toBe('logger');
    expect(refusal(direct({ extra: { placement: {} } })).field).toBe('extra');
  });

  it('accepts every documented setting, and explicit undefineds', () => {
    const extra = {
      clock: new FakeClock(),
      timeoutMs: 2_000,
      retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 100, factor: 2, jitter: 'none', budgetMs: 1_000, random: () => 0.5, onAttempt: () => undefined },
      breaker: { failureThreshold: 3, openDurationMs: 1_000, halfOpenMaxTrials: 1, successThreshold: 1, isFailure: () => true },
      placement: { lookups: 2, visibilityMs: 500, maxResubmits: 0, maxNotSentRetries: 1, notSentDelayMs: 0 },
      requestBudgets: { spot: { capacity: 100, intervalMs: 1_000 } },
      marketsTtlMs: 0,
      registry: new VenueRuntimeRegistry(),
    };
    expect(throughFactory(extra)()).toBeInstanceOf(CcxtExchangeAdapter);
    expect(throughFactory(undefined)()).toBeInstanceOf(CcxtExchangeAdapter);
    expect(direct({ ...extra, placement: { lookups: undefined } })()).toBeInstanceOf(CcxtExchangeAdapter);
  });

  it('never quotes a proxy password from a base URL it refuses', () => {
    const error = refusal(direct({ baseUrl: 'http://user:hunter2-proxy@[::1' }));
    expect(error.field).toBe('baseUrl');
    expect(error.message).not.toContain('hunter2-proxy');
    expect(error.message).toContain('[REDACTED]@');
  });
});

describe('the journal option', () => {
  const store = new MemoryOrderJournal();

  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'journal.db', 'journal', /journal must be an object/],
    ['no store', { account: 'f1' }, 'journal.store', /journal\.store must be an OrderJournal/],
    ['a store without settle', { store: { begin: () => undefined }, account: 'f1' }, 'journal.store', /OrderJournal/],
    ['no account', { store }, 'journal.account', /journal\.account must be a stable account name/],
    ['an account with spaces', { store, account: 'follower 7' }, 'journal.account', /journal\.account/],
    ['an empty owner', { store, account: 'f1', owner: '' }, 'journal.owner', /journal\.owner must be a name unique to this process/],
    ['a fractional lease', { store, account: 'f1', leaseMs: 1.5 }, 'journal.leaseMs', /an integer >= 1/],
    ['a lease too short for one placement step', { store, account: 'f1', leaseMs: 30_000 }, 'journal.leaseMs', /more than 34500 ms/],
    ['an unknown field', { store, account: 'f1', table: 'x' }, 'journal.table', /not an option here/],
  ])('refuses %s, naming %s', (_label, journal, field, message) => {
    for (const create of [direct({ journal }), () => venueDescriptor(profile).create({ ...credentials, journal: journal as never })]) {
      const error = refusal(create);
      expect(error.field).toBe(field);
      expect(error.message).toMatch(message);
    }
  });

  it('accepts a journal given directly or beside the factory\'s extra, and weighs the lease against the timeout', () => {
    expect(() => new CcxtExchangeAdapter(profile, { ...credentials, journal: { store, account: 'follower-7' } })).not.toThrow();
    expect(() => venueDescriptor(profile).create({ ...credentials, journal: { store, account: 'follower-7', leaseMs: 35_000 } })).not.toThrow();
    expect(refusal(direct({ timeoutMs: 40_000, journal: { store, account: 'f1' } })).field).toBe('journal.leaseMs');
  });

  it('shows the journal as its account only, in toJSON and inspect', () => {
    const adapter = new CcxtExchangeAdapter(profile, { ...credentials, journal: { store, account: 'follower-7', owner: 'worker-1:42:abcd' } });
    const json = JSON.stringify(adapter);
    expect((adapter.toJSON().options as Record<string, unknown>).journal).toEqual({ account: 'follower-7' });
    for (const shown of [json, inspect(adapter)]) {
      expect(shown).toContain('"journal":{"account":"follower-7"}');
      expect(shown).not.toContain('worker-1');
      expect(shown).not.toMatch(/store|leaseMs/);
    }
  });
});
