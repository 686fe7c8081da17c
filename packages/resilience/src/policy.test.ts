import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { CircuitBreaker } from './circuit-breaker';
import { CircuitOpenError } from './circuit-open-error';
import { attemptsOf } from './error-facts';
import { FakeClock } from './fake-clock';
import { compose, type PolicyContext } from './policy';
import { RetryPolicy } from './retry-policy';
import { transientError } from './test-support/errors';
import { settleOnFakeTime } from './test-support/settle-on-fake-time';

function stack(clock: FakeClock) {
  const retry = new RetryPolicy({ clock, jitter: 'none', maxRetries: 10, baseDelayMs: 100 });
  const breaker = new CircuitBreaker({ clock, failureThreshold: 3 });
  return { retry, breaker, policy: compose(retry, breaker) };
}


describe('compose', () => {
  it('retries outside the breaker, so an open circuit ends the retry instead of being retried', async () => {
    const clock = new FakeClock();
    const { policy, breaker } = stack(clock);
    const operation = vi.fn(() => Promise.reject(transientError()));
    const { error } = await settleOnFakeTime(clock, policy.execute(operation));
    // three real calls open the breaker; the fourth attempt is refused and not retried
    expect(operation).toHaveBeenCalledTimes(3);
    expect(CircuitOpenError.isInstance(error)).toBe(true);
    expect(attemptsOf(error)).toBe(4);
    expect(breaker.state).toBe('open');
    expect(clock.now()).toBe(100 + 200 + 400);
  });

  it('does the same through wrap, keeping the function type', async () => {
    const clock = new FakeClock();
    const { policy } = stack(clock);
    const placeOrder = vi.fn((symbol: string) => Promise.reject(transientError(symbol)));
    const guarded = policy.wrap(placeOrder);
    expectTypeOf(guarded).toEqualTypeOf(placeOrder);
    const { error } = await settleOnFakeTime(clock, guarded('ETHUSDT'));
    expect(CircuitOpenError.isInstance(error)).toBe(true);
    expect(placeOrder.mock.calls).toEqual([['ETHUSDT'], ['ETHUSDT'], ['ETHUSDT']]);
  });

  it('recovers through the stack when the venue comes back', async () => {
    const clock = new FakeClock();
    const { policy } = stack(clock);
    let calls = 0;
    const { value } = await settleOnFakeTime(clock, policy.execute(() => (++calls < 3 ? Promise.reject(transientError()) : Promise.resolve('filled'))));
    expect(value).toBe('filled');
  });

  it('hands the operation the retry’s attempt number and the caller’s signal, whatever the order', async () => {
    const clock = new FakeClock();
    const { retry, breaker } = stack(clock);
    const signal = new AbortController().signal;
    for (const policy of [compose(retry, breaker), compose(breaker, retry)]) {
      const seen: PolicyContext[] = [];
      await settleOnFakeTime(
        clock,
        policy.execute((context) => {
          seen.push(context);
          return seen.length < 2 ? Promise.reject(transientError()) : Promise.resolve('ok');
        }, signal),
      );
      expect(seen).toEqual([
        { attempt: 1, signal },
        { attempt: 2, signal },
      ]);
    }
  });

  it('is the identity with no policies', async () => {
    const fn = (value: number) => Promise.resolve(value * 2);
    const policy = compose();
    expect(policy.wrap(fn)).toBe(fn);
    await expect(policy.execute(() => Promise.resolve(21))).resolves.toBe(21);
  });
});
