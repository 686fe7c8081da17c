import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { attemptsOf } from './error-facts';
import { FakeClock } from './fake-clock';
import { RetryAbortedError } from './retry-aborted-error';
import { retry, RetryPolicy, withRetry, type RetryEvent, type RetryOptions } from './retry-policy';
import { recordingLogger, refusalError, transientError } from './test-support/errors';
import { settleOnFakeTime as settle } from './test-support/settle-on-fake-time';

/** An operation that fails with `failures` errors in turn, then returns `value`; it records when it ran. */
function flaky<T>(clock: FakeClock, failures: readonly unknown[], value: T) {
  const startedAt: number[] = [];
  const operation = vi.fn(() => {
    startedAt.push(clock.now());
    const failure = failures[startedAt.length - 1];
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- some tests reject with a non-Error on purpose
    return failure === undefined ? Promise.resolve(value) : Promise.reject(failure);
  });
  return { operation, startedAt };
}

const exact = (clock: FakeClock, options: RetryOptions = {}) => new RetryPolicy({ clock, jitter: 'none', ...options });

describe('RetryPolicy', () => {
  it('returns the first success without waiting', async () => {
    const clock = new FakeClock();
    const { operation } = flaky(clock, [], 'filled');
    await expect(exact(clock).execute(operation)).resolves.toBe('filled');
    expect(operation).toHaveBeenCalledTimes(1);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('waits 1 s, 2 s, 4 s by default and throws the last error with the attempt count', async () => {
    const clock = new FakeClock();
    const errors = [transientError('a'), transientError('b'), transientError('c'), transientError('d')];
    const { operation, startedAt } = flaky(clock, errors, 'never');
    const { error } = await settle(clock, exact(clock).execute(operation));
    expect(startedAt).toEqual([0, 1000, 3000, 7000]);
    expect(error).toBe(errors[3]);
    expect(attemptsOf(error)).toBe(4);
  });

  it('keeps doubling to 8 s and beyond when more retries are allowed, up to the maximum delay', async () => {
    const clock = new FakeClock();
    const errors = Array.from({ length: 7 }, () => transientError());
    const { operation, startedAt } = flaky(clock, errors, 'ok');
    const { value } = await settle(clock, exact(clock, { maxRetries: 7, maxDelayMs: 20_000 }).execute(operation));
    expect(value).toBe('ok');
    const waits = startedAt.slice(1).map((time, index) => time - (startedAt[index] ?? 0));
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
  });

  it('uses the injected random source for jitter (full jitter by default)', async () => {
    const clock = new FakeClock();
    const draws = [0.5, 0.25, 0.1];
    const random = vi.fn(() => draws.shift() ?? 0);
    const { operation, startedAt } = flaky(clock, [transientError(), transientError(), transientError()], 'ok');
    await settle(clock, new RetryPolicy({ clock, random }).execute(operation));
    expect(startedAt).toEqual([0, 500, 1000, 1400]);
  });

  it('retries only what the predicate accepts: an unmarked or refused error is thrown at once', async () => {
    const clock = new FakeClock();
    for (const failure of [new Error('unmarked'), refusalError(), 'a thrown string']) {
      const { operation } = flaky(clock, [failure], 'ok');
      const { error } = await settle(clock, exact(clock).execute(operation));
      expect(error).toBe(failure);
      expect(operation).toHaveBeenCalledTimes(1);
    }
    expect(clock.now()).toBe(0);
  });

  it('passes the attempt number to a custom predicate', async () => {
    const clock = new FakeClock();
    const isRetryable = vi.fn((_error: unknown, attempt: number) => attempt < 2);
    const { operation } = flaky(clock, [new Error('1'), new Error('2'), new Error('3')], 'ok');
    const { error } = await settle(clock, exact(clock, { isRetryable }).execute(operation));
    expect(isRetryable.mock.calls.map(([, attempt]) => attempt)).toEqual([1, 2]);
    expect(attemptsOf(error)).toBe(2);
  });

  it('waits at least the error’s retryAfterMs, but never longer than the maximum delay', async () => {
    const clock = new FakeClock();
    const { operation, startedAt } = flaky(
      clock,
      [transientError('429', { retryAfterMs: 5000 }), transientError('429', { retryAfterMs: 90_000 }), transientError('429', { retryAfterMs: 10 })],
      'ok',
    );
    await settle(clock, exact(clock, { maxDelayMs: 30_000 }).execute(operation));
    // 5000 beats the 1 s backoff, 90 s is capped at 30 s, 10 ms loses to the 4 s backoff.
    expect(startedAt).toEqual([0, 5000, 35_000, 39_000]);
  });

  it('takes the lower bound from a custom retryAfter hook, ignoring nonsense values', async () => {
    const clock = new FakeClock();
    const hints = [2500, Number.NaN, -5];
    const { operation, startedAt } = flaky(clock, [transientError(), transientError(), transientError()], 'ok');
    await settle(clock, exact(clock, { retryAfter: () => hints.shift() }).execute(operation));
    expect(startedAt).toEqual([0, 2500, 4500, 8500]);
  });

  it('stops when the next wait would end past the time budget, without waiting for nothing', async () => {
    const clock = new FakeClock();
    const events: RetryEvent[] = [];
    const errors = [transientError(), transientError(), transientError()];
    const { operation, startedAt } = flaky(clock, errors, 'ok');
    const { error } = await settle(clock, exact(clock, { budgetMs: 2500, onAttempt: (event) => events.push(event) }).execute(operation));
    expect(startedAt).toEqual([0, 1000]);
    expect(clock.now()).toBe(1000);
    expect(error).toBe(errors[1]);
    expect(events.at(-1)).toMatchObject({ type: 'give_up', reason: 'budget_exceeded', attempt: 2 });
  });

  it('cancels the wait at once when the signal aborts, keeps the reason and starts no other attempt', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const failure = transientError();
    const { operation } = flaky(clock, [failure, failure], 'ok');
    const outcome = exact(clock).execute(operation, controller.signal).catch((error: unknown) => error);
    await clock.advance(300);
    expect(clock.pendingSleeps).toBe(1);
    const reason = new Error('follower unsubscribed');
    controller.abort(reason);
    const error = await outcome;
    expect(clock.now()).toBe(300);
    expect(clock.pendingSleeps).toBe(0);
    expect(RetryAbortedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason, cause: reason, lastError: failure, attempts: 1 });
    await clock.advance(60_000);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('starts no attempt when the signal has already aborted', async () => {
    const clock = new FakeClock();
    const { operation } = flaky(clock, [], 'ok');
    const error = await exact(clock).execute(operation, AbortSignal.abort('gone')).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'gone', attempts: 0 });
    expect(operation).not.toHaveBeenCalled();
  });

  it('does not retry a failure that arrives after an abort during the attempt', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const operation = vi.fn(({ signal }: { signal: AbortSignal | undefined }) => {
      expect(signal).toBe(controller.signal);
      controller.abort('shutdown');
      return Promise.reject(transientError());
    });
    const error = await settle(clock, exact(clock).execute(operation, controller.signal));
    expect(RetryAbortedError.isInstance(error.error)).toBe(true);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('honours both the policy’s signal and the call’s signal', async () => {
    const clock = new FakeClock();
    const shutdown = new AbortController();
    const policy = exact(clock, { signal: shutdown.signal });
    const { operation } = flaky(clock, [transientError(), transientError()], 'ok');
    const outcome = policy.execute(operation, new AbortController().signal).catch((error: unknown) => error);
    await clock.advance(10);
    shutdown.abort('shutting down');
    await expect(outcome).resolves.toMatchObject({ reason: 'shutting down' });
  });

  it('emits one event and one log line per failed attempt, and one on recovery', async () => {
    const clock = new FakeClock();
    const { lines, logger } = recordingLogger();
    const events: RetryEvent[] = [];
    const first = transientError('first');
    const { operation } = flaky(clock, [first, transientError('second')], 'ok');
    const policy = exact(clock, { name: 'binance.balances', logger });
    policy.onAttempt((event) => events.push(event));
    await settle(clock, policy.execute(operation));
    expect(events).toEqual([
      { type: 'retry', policy: 'binance.balances', attempt: 1, error: first, delayMs: 1000 },
      expect.objectContaining({ type: 'retry', attempt: 2, delayMs: 2000 }),
      { type: 'recovered', policy: 'binance.balances', attempt: 3 },
    ]);
    expect(lines.map(([level, message]) => `${level} ${message}`)).toEqual(['warn retry.attempt', 'warn retry.attempt', 'info retry.recovered']);
    expect(lines[0]?.[2]).toMatchObject({ policy: 'binance.balances', attempt: 1, maxRetries: 3, delayMs: 1000, err: first });
  });

  it('logs giving up at a level that matches the reason', async () => {
    const clock = new FakeClock();
    const { lines, logger } = recordingLogger();
    const policy = exact(clock, { logger, maxRetries: 0 });
    await settle(clock, policy.execute(() => Promise.reject(refusalError())));
    await settle(clock, policy.execute(() => Promise.reject(transientError())));
    expect(lines.map(([level, message, fields]) => [level, message, fields.reason])).toEqual([
      ['debug', 'retry.give_up', 'not_retryable'],
      ['warn', 'retry.give_up', 'exhausted'],
    ]);
  });

  it('stops listening after unsubscribe', async () => {
    const clock = new FakeClock();
    const listener = vi.fn();
    const policy = exact(clock, { maxRetries: 0 });
    const unsubscribe = policy.onAttempt(listener);
    unsubscribe();
    await settle(clock, policy.execute(() => Promise.reject(transientError())));
    expect(listener).not.toHaveBeenCalled();
  });

  it('treats a throwing predicate as "do not retry" and logs the bug', async () => {
    const clock = new FakeClock();
    const { lines, logger } = recordingLogger();
    const failure = transientError();
    const policy = exact(clock, {
      logger,
      isRetryable: () => {
        throw new Error('bug');
      },
    });
    const { error } = await settle(clock, policy.execute(() => Promise.reject(failure)));
    expect(error).toBe(failure);
    expect(lines[0]?.slice(0, 2)).toEqual(['error', 'retry.predicate_failed']);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const clock = new FakeClock();
    const failure = refusalError();
    const thrower = () => {
      throw failure;
    };
    await expect(exact(clock).execute(thrower)).rejects.toBe(failure);
  });

  it('still throws a frozen error unchanged, without the count', async () => {
    const clock = new FakeClock();
    const frozen = Object.freeze(refusalError());
    const { error } = await settle(clock, exact(clock).execute(() => Promise.reject(frozen)));
    expect(error).toBe(frozen);
    expect(attemptsOf(error)).toBeUndefined();
  });

  it('gives execute() operations the attempt number and signal', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    const signal = new AbortController().signal;
    await settle(
      clock,
      exact(clock).execute(({ attempt, signal: given }) => {
        expect(given).toBe(signal);
        seen.push(attempt);
        return attempt < 3 ? Promise.reject(transientError()) : Promise.resolve(attempt);
      }, signal),
    );
    expect(seen).toEqual([1, 2, 3]);
  });

  it('simulates ten minutes of backoff in an instant', async () => {
    const clock = new FakeClock();
    const { operation } = flaky(clock, Array.from({ length: 20 }, () => transientError()), 'ok');
    const { value } = await settle(clock, exact(clock, { maxRetries: 20, maxDelayMs: 60_000 }).execute(operation));
    expect(value).toBe('ok');
    expect(clock.now()).toBe(1000 + 2000 + 4000 + 8000 + 16_000 + 32_000 + 14 * 60_000);
  });

  describe('options', () => {
    it.each([
      ['maxRetries', Number.NaN],
      ['maxRetries', -1],
      ['maxRetries', 1.5],
      ['maxRetries', Infinity],
      ['baseDelayMs', Number.NaN],
      ['baseDelayMs', -1],
      ['baseDelayMs', Infinity],
      ['maxDelayMs', Number.NaN],
      ['maxDelayMs', -0.5],
      ['maxDelayMs', Infinity],
      ['factor', Number.NaN],
      ['factor', 0.5],
      ['factor', Infinity],
      ['budgetMs', Number.NaN],
      ['budgetMs', -1],
      ['budgetMs', Infinity],
    ])('refuses %s = %s', (field, value) => {
      expect(() => new RetryPolicy({ [field]: value })).toThrow(RangeError);
      expect(() => new RetryPolicy({ [field]: value })).toThrow(field);
    });

    it('refuses an unknown jitter and a non-function hook', () => {
      expect(() => new RetryPolicy({ jitter: 'some' as never })).toThrow(/jitter/);
      expect(() => new RetryPolicy({ random: 0.5 as never })).toThrow(TypeError);
    });

    it('exposes the validated defaults', () => {
      const policy = new RetryPolicy();
      expect(policy.maxRetries).toBe(3);
      expect(policy.backoff).toEqual({ baseDelayMs: 1000, maxDelayMs: 30_000, factor: 2, jitter: 'full' });
      expect(policy.budgetMs).toBeUndefined();
    });
  });
});

describe('withRetry', () => {
  it('keeps the function’s type, `this` and arguments, and retries with the same arguments', async () => {
    const clock = new FakeClock();
    const failures = [transientError()];
    const account = {
      prefix: 'order',
      place: vi.fn(function (this: { prefix: string }, symbol: string, quantity: string): Promise<string> {
        const failure = failures.shift();
        return failure === undefined ? Promise.resolve(`${this.prefix}:${symbol}:${quantity}`) : Promise.reject(failure);
      }),
    };
    const place = withRetry(account.place, { clock, jitter: 'none' });
    expectTypeOf(place).toEqualTypeOf(account.place);
    const { value } = await settle(clock, place.call(account, 'BTCUSDT', '0.001'));
    expect(value).toBe('order:BTCUSDT:0.001');
    expect(account.place.mock.calls).toEqual([
      ['BTCUSDT', '0.001'],
      ['BTCUSDT', '0.001'],
    ]);
  });

  it('shares a policy’s events when given the policy', async () => {
    const clock = new FakeClock();
    const policy = exact(clock, { maxRetries: 0 });
    const listener = vi.fn();
    policy.onAttempt(listener);
    await settle(clock, withRetry(() => Promise.reject(transientError()), policy)());
    expect(listener).toHaveBeenCalledWith(expect.objectContaining({ type: 'give_up', reason: 'exhausted' }));
  });

  it('cancels every call through the options’ signal', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const fetchTicker = withRetry(() => Promise.reject(transientError()), { clock, signal: controller.signal });
    const outcome = fetchTicker().catch((error: unknown) => error);
    await clock.advance(1);
    controller.abort();
    expect(RetryAbortedError.isInstance(await outcome)).toBe(true);
  });
});

describe('retry', () => {
  it('runs one operation under the given options', async () => {
    const clock = new FakeClock();
    const { operation, startedAt } = flaky(clock, [transientError()], 42);
    const { value } = await settle(clock, retry(operation, { clock, jitter: 'none', baseDelayMs: 250 }));
    expect(value).toBe(42);
    expect(startedAt).toEqual([0, 250]);
  });
});
