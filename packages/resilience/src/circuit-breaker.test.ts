import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitStateChange } from './circuit-breaker';
import { CircuitOpenError } from './circuit-open-error';
import type { CircuitSnapshot } from './circuit-snapshot';
import { FakeClock } from './fake-clock';
import { deferred } from './test-support/deferred';
import { recordingLogger, refusalError, transientError } from './test-support/errors';

function breakerOn(clock: FakeClock, options: CircuitBreakerOptions = {}) {
  const changes: CircuitStateChange[] = [];
  const breaker = new CircuitBreaker({ clock, name: 'bybit', onStateChange: (change) => changes.push(change), ...options });
  const transitions = () => changes.map(({ from, to, reason }) => `${from}>${to}:${reason}`);
  return { breaker, transitions };
}

const succeed = () => Promise.resolve('ok');
const fail = () => Promise.reject(transientError());

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let index = 0; index < times; index++) await breaker.execute(fail).catch(() => undefined);
}

async function refusal(promise: Promise<unknown>): Promise<CircuitOpenError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!CircuitOpenError.isInstance(error)) throw new Error(`expected a CircuitOpenError, got ${String(error)}`);
  return error;
}

describe('CircuitBreaker', () => {
  it('opens after 5 consecutive counted failures and then fails fast without calling', async () => {
    const clock = new FakeClock();
    const { breaker, transitions } = breakerOn(clock);
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(transitions()).toEqual(['closed>open:failure_threshold']);
    const operation = vi.fn(succeed);
    await clock.advance(15_000);
    const error = await refusal(breaker.execute(operation));
    expect(operation).not.toHaveBeenCalled();
    expect(error).toMatchObject({ circuit: 'bybit', state: 'open', retryAfterMs: 45_000, retryable: false });
  });

  it('counts only consecutive failures: a success resets the count', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock);
    await failTimes(breaker, 4);
    await breaker.execute(succeed);
    await failTimes(breaker, 4);
    expect(breaker.state).toBe('closed');
    expect(breaker.toJSON().consecutiveFailures).toBe(4);
  });

  it('does not count business refusals, which neither trip nor reset it', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock);
    await failTimes(breaker, 3);
    for (let index = 0; index < 10; index++) {
      await breaker.execute(() => Promise.reject(refusalError())).catch(() => undefined);
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.toJSON().consecutiveFailures).toBe(3);
  });

  it('counts unmarked errors (a network TypeError, a 5xx) by default, and follows a custom predicate', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock, { failureThreshold: 2 });
    await breaker.execute(() => Promise.reject(new TypeError('fetch failed'))).catch(() => undefined);
    await breaker.execute(() => Promise.reject(new Error('502 Bad Gateway'))).catch(() => undefined);
    expect(breaker.state).toBe('open');
    const picky = breakerOn(clock, { failureThreshold: 1, isFailure: (error) => (error as Error).message === 'count me' }).breaker;
    await picky.execute(() => Promise.reject(new Error('ignore me'))).catch(() => undefined);
    expect(picky.state).toBe('closed');
    await picky.execute(() => Promise.reject(new Error('count me'))).catch(() => undefined);
    expect(picky.state).toBe('open');
  });

  it('turns half-open on the first call after 60 s and closes after 2 successful trials', async () => {
    const clock = new FakeClock();
    const { breaker, transitions } = breakerOn(clock);
    await failTimes(breaker, 5);
    await clock.advance(59_999);
    await refusal(breaker.execute(succeed));
    await clock.advance(1);
    expect(breaker.state).toBe('open'); // nothing moves without a call
    await breaker.execute(succeed);
    expect(breaker.state).toBe('half_open');
    await breaker.execute(succeed);
    expect(breaker.state).toBe('closed');
    expect(transitions()).toEqual(['closed>open:failure_threshold', 'open>half_open:open_elapsed', 'half_open>closed:trials_succeeded']);
  });

  it('reopens for another full period when a trial fails', async () => {
    const clock = new FakeClock();
    const { breaker, transitions } = breakerOn(clock);
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    await breaker.execute(succeed);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect((await refusal(breaker.execute(succeed))).retryAfterMs).toBe(60_000);
    expect(transitions().at(-1)).toBe('half_open>open:trial_failed');
  });

  it('admits one trial at a time while half-open; everyone else fails fast instead of queueing', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock);
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    const trial = deferred<string>();
    const trialCall = breaker.execute(() => trial.promise);
    const others = await Promise.all(Array.from({ length: 5 }, () => refusal(breaker.execute(succeed))));
    expect(others.map((error) => [error.state, error.retryAfterMs])).toEqual(Array.from({ length: 5 }, () => ['half_open', 0]));
    expect(breaker.isOpen()).toBe(true);
    trial.resolve('first trial');
    await expect(trialCall).resolves.toBe('first trial');
    expect(breaker.state).toBe('half_open');
    expect(breaker.isOpen()).toBe(false);
  });

  it('admits up to halfOpenMaxTrials concurrent trials', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock, { halfOpenMaxTrials: 3, successThreshold: 3 });
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    const trials = [deferred<string>(), deferred<string>(), deferred<string>()];
    const calls = trials.map((trial) => breaker.execute(() => trial.promise));
    await refusal(breaker.execute(succeed));
    for (const trial of trials) trial.resolve('ok');
    await Promise.all(calls);
    expect(breaker.state).toBe('closed');
  });

  it('lets an ignored error in HALF_OPEN free its slot without closing or reopening', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock);
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    await breaker.execute(succeed);
    await breaker.execute(() => Promise.reject(refusalError())).catch(() => undefined);
    expect(breaker.state).toBe('half_open');
    expect(breaker.toJSON().halfOpenSuccesses).toBe(1);
    await breaker.execute(succeed);
    expect(breaker.state).toBe('closed');
  });

  it('ignores a slow success that started before the breaker opened', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock);
    const slow = deferred<string>();
    const slowCall = breaker.execute(() => slow.promise);
    await failTimes(breaker, 5);
    await clock.advance(60_000);
    await breaker.execute(succeed); // first trial: 1 of the 2 successes needed
    const trial = deferred<string>();
    const trialCall = breaker.execute(() => trial.promise);
    slow.resolve('from before the outage');
    await expect(slowCall).resolves.toBe('from before the outage');
    expect(breaker.state).toBe('half_open');
    expect(breaker.toJSON().halfOpenSuccesses).toBe(1);
    await refusal(breaker.execute(succeed)); // the trial slot is still the in-flight trial's
    trial.resolve('ok');
    await trialCall;
    expect(breaker.state).toBe('closed');
  });

  it('ignores a late failure that started before the breaker closed again', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock, { failureThreshold: 1 });
    await failTimes(breaker, 1);
    await clock.advance(60_000);
    const slowTrial = deferred<string>();
    const slowCall = breaker.execute(() => slowTrial.promise).catch(() => undefined);
    breaker.reset();
    slowTrial.reject(transientError());
    await slowCall;
    expect(breaker.state).toBe('closed');
    expect(breaker.toJSON().consecutiveFailures).toBe(0);
  });

  it('reports isOpen() without throwing or moving state', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock);
    expect(breaker.isOpen()).toBe(false);
    await failTimes(breaker, 5);
    expect(breaker.isOpen()).toBe(true);
    await clock.advance(60_000);
    expect(breaker.isOpen()).toBe(false);
    expect(breaker.state).toBe('open');
  });

  it('isolates until reset, whatever the clock says', async () => {
    const clock = new FakeClock();
    const { breaker, transitions } = breakerOn(clock);
    breaker.isolate();
    await clock.advance(3_600_000);
    const error = await refusal(breaker.execute(succeed));
    expect(error).toMatchObject({ state: 'isolated', retryAfterMs: undefined });
    expect(breaker.isOpen()).toBe(true);
    breaker.reset();
    await expect(breaker.execute(succeed)).resolves.toBe('ok');
    expect(transitions()).toEqual(['closed>isolated:isolate', 'isolated>closed:reset']);
  });

  it('round-trips its state through JSON into another breaker', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const { breaker } = breakerOn(clock);
    await failTimes(breaker, 5);
    const stored = JSON.stringify(breaker);
    const snapshot = JSON.parse(stored) as CircuitSnapshot;
    expect(snapshot).toEqual({
      version: 1,
      state: 'open',
      consecutiveFailures: 0,
      halfOpenSuccesses: 0,
      openedAt: 1_700_000_000_000,
      openUntil: 1_700_000_060_000,
    });
    await clock.advance(10_000);
    const { breaker: other, transitions } = breakerOn(clock);
    other.restore(snapshot);
    expect(transitions()).toEqual(['closed>open:restore']);
    expect((await refusal(other.execute(succeed))).retryAfterMs).toBe(50_000);
    await clock.advance(50_000);
    await expect(other.execute(succeed)).resolves.toBe('ok');
    expect(other.state).toBe('half_open');
  });

  it('refuses a malformed snapshot', () => {
    const { breaker } = breakerOn(new FakeClock());
    const good = breaker.toJSON();
    for (const bad of [null, {}, { ...good, version: 2 }, { ...good, state: 'ajar' }, { ...good, consecutiveFailures: -1 }, { ...good, state: 'open' }]) {
      expect(() => {
        breaker.restore(bad as CircuitSnapshot);
      }).toThrow(TypeError);
    }
  });

  it('logs state changes: opening as a warning, the rest as info', async () => {
    const clock = new FakeClock();
    const { lines, logger } = recordingLogger();
    const { breaker } = breakerOn(clock, { logger, failureThreshold: 1 });
    await failTimes(breaker, 1);
    await clock.advance(60_000);
    await breaker.execute(succeed);
    expect(lines).toEqual([
      ['warn', 'circuit.state_change', { circuit: 'bybit', from: 'closed', to: 'open', reason: 'failure_threshold', at: 0, openUntil: 60_000 }],
      ['info', 'circuit.state_change', { circuit: 'bybit', from: 'open', to: 'half_open', reason: 'open_elapsed', at: 60_000 }],
    ]);
  });

  it('counts the error when its predicate throws, and logs the bug', async () => {
    const clock = new FakeClock();
    const { lines, logger } = recordingLogger();
    const { breaker } = breakerOn(clock, {
      logger,
      failureThreshold: 1,
      isFailure: () => {
        throw new Error('bug');
      },
    });
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    expect(lines[0]?.slice(0, 2)).toEqual(['error', 'circuit.predicate_failed']);
  });

  it('fails fast cheaply: the refusal carries no captured stack frames', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock, { failureThreshold: 1 });
    await failTimes(breaker, 1);
    const error = await refusal(breaker.execute(succeed));
    expect(error.stack?.split('\n')).toHaveLength(1);
    expect(error).toBeInstanceOf(Error);
  });

  it('wraps a function keeping its type, `this` and arguments, and passes results and errors through', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock);
    interface Venue {
      readonly name: string;
    }
    async function venueQuote(this: Venue, symbol: string, side: 'buy' | 'sell'): Promise<string> {
      if (symbol === 'NOPE') throw refusalError('unknown symbol');
      return Promise.resolve(`${this.name}:${symbol}:${side}`);
    }
    const venue: Venue = { name: 'bitget' };
    const quote = breaker.wrap(venueQuote);
    expectTypeOf(quote).toEqualTypeOf(venueQuote);
    await expect(quote.call(venue, 'BTCUSDT', 'buy')).resolves.toBe('bitget:BTCUSDT:buy');
    await expect(quote.call(venue, 'NOPE', 'sell')).rejects.toThrow('unknown symbol');
  });

  it('treats a synchronous throw as a failure', async () => {
    const clock = new FakeClock();
    const { breaker } = breakerOn(clock, { failureThreshold: 1 });
    const thrower = () => {
      throw transientError();
    };
    await expect(breaker.execute(thrower)).rejects.toThrow('ECONNRESET');
    expect(breaker.state).toBe('open');
  });

  it.each([
    ['failureThreshold', 0],
    ['failureThreshold', 2.5],
    ['failureThreshold', Number.NaN],
    ['openDurationMs', -1],
    ['openDurationMs', Infinity],
    ['openDurationMs', Number.NaN],
    ['halfOpenMaxTrials', 0],
    ['successThreshold', Infinity],
  ])('refuses %s = %s', (field, value) => {
    expect(() => new CircuitBreaker({ [field]: value })).toThrow(field);
  });

  it('defaults to 5 failures to open, 60 s open, 1 trial and 2 successes to close', () => {
    const breaker = new CircuitBreaker();
    expect([breaker.failureThreshold, breaker.openDurationMs, breaker.halfOpenMaxTrials, breaker.successThreshold]).toEqual([5, 60_000, 1, 2]);
  });
});
