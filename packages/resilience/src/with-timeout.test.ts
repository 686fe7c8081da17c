import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from './fake-clock';
import { deferred } from './test-support/deferred';
import { TimeoutError } from './timeout-error';
import { withTimeout } from './with-timeout';

/** An operation that never settles, remembering the signal it was given. */
function hangingOperation() {
  const seen: { signal?: AbortSignal } = {};
  const operation = (signal: AbortSignal): Promise<never> => {
    seen.signal = signal;
    return new Promise<never>(() => undefined);
  };
  return { operation, seen };
}

describe('withTimeout', () => {
  it('settles as the operation does when it is in time, leaving no sleep behind', async () => {
    const clock = new FakeClock();
    await expect(withTimeout(() => Promise.resolve('fast'), 1000, { clock })).resolves.toBe('fast');
    await expect(withTimeout(() => Promise.reject(new Error('refused')), 1000, { clock })).rejects.toThrow('refused');
    await clock.advance(0);
    expect(clock.pendingSleeps).toBe(0);
  });

  it('rejects with a retryable TimeoutError at the deadline and aborts the operation’s signal', async () => {
    const clock = new FakeClock();
    const { operation, seen } = hangingOperation();
    const outcome = withTimeout(operation, 5000, { clock }).catch((error: unknown) => error);
    await clock.advance(4999);
    expect(seen.signal?.aborted).toBe(false);
    await clock.advance(1);
    const error = await outcome;
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true, timeoutMs: 5000 });
    expect(seen.signal?.aborted).toBe(true);
    expect(seen.signal?.reason).toBe(error);
  });

  it('ignores the operation’s result after the deadline', async () => {
    const clock = new FakeClock();
    const late = deferred<string>();
    const outcome = withTimeout(() => late.promise, 10, { clock }).catch((error: unknown) => error);
    await clock.advance(10);
    late.resolve('too late');
    expect(TimeoutError.isInstance(await outcome)).toBe(true);
  });

  it('passes an outer abort to the operation and rejects with its reason', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const { operation, seen } = hangingOperation();
    const outcome = withTimeout(operation, 5000, { clock, signal: controller.signal });
    controller.abort('caller left');
    await expect(outcome).rejects.toBe('caller left');
    expect(seen.signal?.reason).toBe('caller left');
    expect(clock.pendingSleeps).toBe(0);
  });

  it('does not start the operation when the outer signal has already aborted', async () => {
    const operation = vi.fn(() => Promise.resolve(1));
    await expect(withTimeout(operation, 10, { clock: new FakeClock(), signal: AbortSignal.abort('no') })).rejects.toBe('no');
    expect(operation).not.toHaveBeenCalled();
  });

  it('turns a synchronous throw into a rejection', async () => {
    const failure = new Error('sync');
    const thrower = (): Promise<never> => {
      throw failure;
    };
    await expect(withTimeout(thrower, 10, { clock: new FakeClock() })).rejects.toBe(failure);
  });

  it('refuses a nonsense deadline', () => {
    expect(() => withTimeout(() => Promise.resolve(1), Number.NaN)).toThrow(RangeError);
    expect(() => withTimeout(() => Promise.resolve(1), -1)).toThrow(RangeError);
  });
});
