import { readFileSync } from 'node:fs';

import { describe, expect, it, vi } from 'vitest';
import { CircuitOpenError } from './circuit-open-error';
import { RetryAbortedError } from './retry-aborted-error';
import { TimeoutError } from './timeout-error';

describe('errors', () => {
  it('carry a Symbol.for marker, a name and a retryable verdict', () => {
    const cases = [
      [new CircuitOpenError('okx', 'open', 10), 'CircuitOpenError', false],
      [new TimeoutError(5000), 'TimeoutError', true],
      [new RetryAbortedError('why', 2, new Error('last')), 'RetryAbortedError', false],
    ] as const;
    for (const [error, name, retryable] of cases) {
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(error.retryable).toBe(retryable);
      expect((error as unknown as Record<symbol, unknown>)[Symbol.for(`@xport/resilience/${name}`)]).toBe(true);
      expect(String(error)).toContain(name);
    }
  });

  it('are recognised by isInstance across two loaded copies of the module, where instanceof fails', async () => {
    vi.resetModules();
    const copy = await import('./index');
    expect(copy.CircuitOpenError).not.toBe(CircuitOpenError);
    const foreign = [new copy.CircuitOpenError('c', 'isolated', undefined), new copy.TimeoutError(1), new copy.RetryAbortedError(0, 0, 0)] as const;
    expect(foreign[0]).not.toBeInstanceOf(CircuitOpenError);
    expect(CircuitOpenError.isInstance(foreign[0])).toBe(true);
    expect(TimeoutError.isInstance(foreign[1])).toBe(true);
    expect(RetryAbortedError.isInstance(foreign[2])).toBe(true);
    expect(copy.TimeoutError.isInstance(new TimeoutError(1))).toBe(true);
  });

  it('carries the error-brand helper inside its build, so once installed it depends on nothing of ours', () => {
    for (const file of ['index.mjs', 'index.cjs', 'index.d.mts', 'index.d.cts']) {
      expect(readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8'), file).not.toMatch(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']@xport\/|\brequire\(\s*["']@xport\//m);
    }
  });

  it('do not mistake each other or look-alikes for themselves', () => {
    expect(TimeoutError.isInstance(new CircuitOpenError('c', 'open', 1))).toBe(false);
    expect(CircuitOpenError.isInstance(Object.assign(new Error('x'), { name: 'CircuitOpenError' }))).toBe(false);
    for (const value of [null, undefined, 'CircuitOpenError', 42]) expect(CircuitOpenError.isInstance(value)).toBe(false);
  });

  it('describe the refusal for each refusing state', () => {
    expect(new CircuitOpenError('bybit', 'open', 1234).message).toBe('Circuit "bybit" is open; calls are refused for another 1234 ms');
    expect(new CircuitOpenError('bybit', 'half_open', 0).message).toContain('half-open');
    expect(new CircuitOpenError('bybit', 'isolated', undefined).message).toContain('isolated until reset()');
  });

  it('keep the abort reason as cause and say how many attempts ran', () => {
    const reason = new Error('shutdown');
    const error = new RetryAbortedError(reason, 1, 'last');
    expect(error.cause).toBe(reason);
    expect(error.message).toBe('Retry aborted after 1 attempt');
    expect(new RetryAbortedError(reason, 3, 'last').message).toBe('Retry aborted after 3 attempts');
  });
});
