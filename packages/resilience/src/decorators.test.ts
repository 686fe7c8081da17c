import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker';
import { CircuitOpenError } from './circuit-open-error';
import { circuitBreakerProtected, retryWithBackoff } from './decorators';
import { attemptsOf } from './error-facts';
import { FakeClock } from './fake-clock';
import { RetryPolicy } from './retry-policy';
import { transientError } from './test-support/errors';
import { settleOnFakeTime } from './test-support/settle-on-fake-time';

const clock = new FakeClock();
const venueBreaker = new CircuitBreaker({ clock, name: 'binance', failureThreshold: 2 });

class BinanceAccount {
  calls = 0;
  constructor(readonly follower: string) {}

  @retryWithBackoff({ clock, jitter: 'none', baseDelayMs: 10 })
  @circuitBreakerProtected(venueBreaker)
  async fetchBalance(asset: string): Promise<string> {
    this.calls++;
    await Promise.resolve();
    if (asset === 'DOWN') throw transientError('503');
    return `${this.follower}:${asset}`;
  }
}

class PerInstance {
  readonly breaker: CircuitBreaker;
  readonly retry: RetryPolicy;
  constructor(readonly local: FakeClock) {
    this.breaker = new CircuitBreaker({ clock: local, failureThreshold: 1 });
    this.retry = new RetryPolicy({ clock: local, jitter: 'none', baseDelayMs: 5 });
  }

  @retryWithBackoff((self: PerInstance) => self.retry)
  @circuitBreakerProtected((self: PerInstance) => self.breaker)
  ping(fail: boolean): Promise<string> {
    return fail ? Promise.reject(transientError()) : Promise.resolve('pong');
  }
}


describe('decorators', () => {
  it('keep `this` and arguments and pass results through', async () => {
    await expect(new BinanceAccount('alice').fetchBalance('USDT')).resolves.toBe('alice:USDT');
  });

  it('stack retry outside the breaker, so a venue outage opens one shared breaker and is not retried further', async () => {
    const alice = new BinanceAccount('alice');
    const { error } = await settleOnFakeTime(clock, alice.fetchBalance('DOWN'));
    expect(alice.calls).toBe(2);
    expect(CircuitOpenError.isInstance(error)).toBe(true);
    expect(attemptsOf(error)).toBe(3);
    const bob = new BinanceAccount('bob');
    expect(CircuitOpenError.isInstance((await settleOnFakeTime(clock, bob.fetchBalance('USDT'))).error)).toBe(true);
    expect(bob.calls).toBe(0);
  });

  it('take per-instance policies from a function of the instance', async () => {
    const first = new PerInstance(new FakeClock());
    const second = new PerInstance(new FakeClock());
    const { error } = await settleOnFakeTime(first.local, first.ping(true));
    expect(CircuitOpenError.isInstance(error)).toBe(true);
    expect(first.breaker.state).toBe('open');
    await expect(second.ping(false)).resolves.toBe('pong');
  });
});
