import { NetworkError, OperationAbortedError, OrderStatusUnknownError, RateLimitError } from '@xport/core';
import { FakeClock } from '@xport/resilience';
import { describe, expect, it } from 'vitest';

import { placeExactlyOnce } from './order-placement';
import type { AttemptVerdict, PlacementDecision, PlacementSettings } from './order-placement';

const settings: PlacementSettings = { lookups: 4, visibilityMs: 3_000, maxResubmits: 1, maxNotSentRetries: 2, notSentDelayMs: 100 };
const identity = { exchange: 'binance', operation: 'executeSpotBuy', clientOrderId: 'xp-1', symbol: 'BTC/USDT' };

class Rejected extends Error {}
class Duplicate extends Error {}
class Accepted extends Error {}

/**
 * A scripted venue: each submit and lookup takes the next scripted outcome. The ledger counts
 * orders the venue executed, so a test can assert "exactly one" the way the soak does.
 */
function venue(
  submits: ('ok' | 'commitThenLose' | 'acceptedInvisible' | 'lose' | 'rateLimited' | 'duplicate' | 'rejected')[],
  lookups: ('found' | 'absent' | 'error')[],
) {
  const ledger: string[] = [];
  const decisions: PlacementDecision[] = [];
  return {
    ledger,
    decisions,
    steps: {
      submit: (): Promise<string> => {
        const next = submits.shift() ?? 'ok';
        if (next === 'ok' || next === 'commitThenLose' || next === 'acceptedInvisible') {
          if (ledger.includes('order')) return Promise.reject(new Duplicate('duplicate client order id'));
          ledger.push('order');
        }
        if (next === 'ok') return Promise.resolve('order');
        if (next === 'acceptedInvisible') return Promise.reject(new Accepted('accepted but not yet visible'));
        if (next === 'rateLimited') return Promise.reject(new RateLimitError('429', { retryAfterMs: 500 }));
        if (next === 'duplicate') return Promise.reject(new Duplicate('dup'));
        if (next === 'rejected') return Promise.reject(new Rejected('insufficient balance'));
        return Promise.reject(new NetworkError('socket hang up'));
      },
      lookup: (): Promise<string | undefined> => {
        const next = lookups.shift() ?? (ledger.includes('order') ? 'found' : 'absent');
        if (next === 'error') return Promise.reject(new NetworkError('lookup failed'));
        return Promise.resolve(next === 'found' && ledger.includes('order') ? 'order' : undefined);
      },
      verdict: (error: unknown): AttemptVerdict => {
        if (error instanceof Rejected) return 'rejected';
        if (error instanceof Duplicate) return 'duplicate';
        if (error instanceof Accepted) return 'accepted';
        return RateLimitError.isInstance(error) ? 'notSent' : 'ambiguous';
      },
      decide: (decision: PlacementDecision) => {
        decisions.push(decision);
      },
    },
  };
}

async function run<T>(clock: FakeClock, promise: Promise<T>): Promise<T> {
  const settled = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await clock.advance(60_000);
  const outcome = await settled;
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

describe('placeExactlyOnce', () => {
  it('places once when the first attempt is answered', async () => {
    const clock = new FakeClock();
    const { steps, ledger, decisions } = venue(['ok'], []);
    await expect(run(clock, placeExactlyOnce(steps, identity, settings, clock))).resolves.toEqual({ order: 'order', how: 'placed' });
    expect(ledger).toEqual(['order']);
    expect(decisions).toEqual(['exchange.order.placed']);
  });

  it('recovers an order executed before its answer was lost, instead of sending it again', async () => {
    const clock = new FakeClock();
    const { steps, ledger, decisions } = venue(['commitThenLose'], ['absent', 'found']);
    await expect(run(clock, placeExactlyOnce(steps, identity, settings, clock))).resolves.toEqual({ order: 'order', how: 'recovered' });
    expect(ledger).toEqual(['order']);
    expect(decisions).toEqual(['exchange.order.ambiguous', 'exchange.order.lookup_missed', 'exchange.order.recovered']);
  });

  it('resubmits with the same id only after lookups across the whole visibility window said absent', async () => {
    const clock = new FakeClock();
    const { steps, ledger, decisions } = venue(['lose', 'ok'], ['absent', 'absent', 'absent', 'absent']);
    const lookupTimes: number[] = [];
    const lookup = steps.lookup;
    steps.lookup = () => {
      lookupTimes.push(clock.now());
      return lookup();
    };
    await expect(run(clock, placeExactlyOnce(steps, identity, settings, clock))).resolves.toEqual({ order: 'order', how: 'resubmitted' });
    expect(ledger).toEqual(['order']);
    expect(lookupTimes).toEqual([0, 1_000, 2_000, 3_000]);
    expect(decisions).toContain('exchange.order.resubmitted');
  });

  it('throws OrderStatusUnknownError with the client order id when lookups cannot tell', async () => {
    const clock = new FakeClock();
    const { steps, ledger } = venue(['lose'], ['error', 'error', 'error', 'error']);
    const error = await run(clock, placeExactlyOnce(steps, identity, settings, clock)).catch((caught: unknown) => caught);
    expect(OrderStatusUnknownError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ clientOrderId: 'xp-1', exchange: 'binance', retryable: false });
    expect(ledger).toEqual([]);
  });

  it('never resubmits after a lookup failed, even if others said absent', async () => {
    const clock = new FakeClock();
    const { steps } = venue(['lose', 'ok'], ['absent', 'error', 'absent', 'absent']);
    const error = await run(clock, placeExactlyOnce(steps, identity, settings, clock)).catch((caught: unknown) => caught);
    expect(OrderStatusUnknownError.isInstance(error)).toBe(true);
  });

  it('reads a duplicate-id answer as "the first attempt got through" and returns that order', async () => {
    const clock = new FakeClock();
    const { steps, ledger } = venue(['commitThenLose', 'ok'], ['absent', 'absent', 'absent', 'absent', 'found']);
    // The resubmission meets the venue's duplicate check; the order is then found.
    await expect(run(clock, placeExactlyOnce(steps, identity, settings, clock))).resolves.toEqual({ order: 'order', how: 'recovered' });
    expect(ledger).toEqual(['order']);
  });

  it('never sends again an order the venue acknowledged, however long it stays invisible: unknown, with its id', async () => {
    const clock = new FakeClock();
    const { steps, ledger, decisions } = venue(['acceptedInvisible', 'ok'], ['absent', 'absent', 'absent', 'absent']);
    const error = await run(clock, placeExactlyOnce(steps, identity, settings, clock)).catch((caught: unknown) => caught);
    expect(OrderStatusUnknownError.isInstance(error) && error.clientOrderId).toBe('xp-1');
    expect(ledger).toEqual(['order']);
    expect(decisions).not.toContain('exchange.order.resubmitted');
  });

  it('returns an acknowledged order once a later lookup shows it', async () => {
    const clock = new FakeClock();
    const { steps } = venue(['acceptedInvisible'], ['absent', 'found']);
    await expect(run(clock, placeExactlyOnce(steps, identity, settings, clock))).resolves.toEqual({ order: 'order', how: 'recovered' });
  });

  it('re-sends after a 429 with the same id, waiting at least the Retry-After', async () => {
    const clock = new FakeClock();
    const { steps, ledger, decisions } = venue(['rateLimited', 'ok'], []);
    const submitTimes: number[] = [];
    const submit = steps.submit;
    steps.submit = () => {
      submitTimes.push(clock.now());
      return submit();
    };
    await run(clock, placeExactlyOnce(steps, identity, settings, clock));
    expect(submitTimes).toEqual([0, 500]);
    expect(ledger).toEqual(['order']);
    expect(decisions[0]).toBe('exchange.order.retry_not_sent');
  });

  it('passes a business refusal through untouched, with no lookup', async () => {
    const clock = new FakeClock();
    const { steps, decisions } = venue(['rejected'], []);
    await expect(run(clock, placeExactlyOnce(steps, identity, settings, clock))).rejects.toBeInstanceOf(Rejected);
    expect(decisions).toEqual([]);
  });

  it('gives up on not-sent errors after its bounded retries', async () => {
    const clock = new FakeClock();
    const { steps, ledger } = venue(['rateLimited', 'rateLimited', 'rateLimited'], []);
    await expect(run(clock, placeExactlyOnce(steps, identity, settings, clock))).rejects.toSatisfy((error) => RateLimitError.isInstance(error));
    expect(ledger).toEqual([]);
  });

  describe('when the signal aborts', () => {
    const reason = new Error('caller gave up');

    /** Counts the venue's requests, and aborts the signal when the given one is about to be made. */
    function counted(steps: ReturnType<typeof venue>['steps'], controller: AbortController, abortBefore?: { kind: 'submit' | 'lookup'; nth: number }) {
      const calls = { submit: 0, lookup: 0 };
      const count = (kind: 'submit' | 'lookup'): void => {
        calls[kind] += 1;
        if (abortBefore?.kind === kind && abortBefore.nth === calls[kind]) controller.abort(reason);
      };
      return {
        calls,
        steps: {
          ...steps,
          submit: () => {
            count('submit');
            return steps.submit();
          },
          lookup: () => {
            count('lookup');
            return steps.lookup();
          },
        },
      };
    }

    it('sends nothing when it aborted before the first attempt: OperationAbortedError with the reason as cause', async () => {
      const clock = new FakeClock();
      const controller = new AbortController();
      controller.abort(reason);
      const { steps, ledger } = venue(['ok'], []);
      const probe = counted(steps, controller);
      const error = await run(clock, placeExactlyOnce(probe.steps, identity, settings, clock, controller.signal)).catch((caught: unknown) => caught);
      expect(OperationAbortedError.isInstance(error)).toBe(true);
      expect((error as Error).cause).toBe(reason);
      expect(probe.calls).toEqual({ submit: 0, lookup: 0 });
      expect(ledger).toEqual([]);
    });

    it('is OrderStatusUnknownError with the client order id, never the bare reason, when it aborts while an executed order is looked up', async () => {
      const clock = new FakeClock();
      const controller = new AbortController();
      const { steps, ledger, decisions } = venue(['commitThenLose'], ['absent', 'absent', 'absent', 'absent']);
      // The first lookup misses (the venue lags); the abort comes during the wait for the second.
      const probe = counted(steps, controller);
      const lookup = probe.steps.lookup;
      probe.steps.lookup = async () => {
        const found = await lookup();
        controller.abort(reason);
        return found;
      };
      const error = await run(clock, placeExactlyOnce(probe.steps, identity, settings, clock, controller.signal)).catch((caught: unknown) => caught);
      expect(OrderStatusUnknownError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ clientOrderId: 'xp-1', exchange: 'binance' });
      expect((error as Error).cause).toBe(reason);
      expect(probe.calls).toEqual({ submit: 1, lookup: 1 });
      expect(ledger).toEqual(['order']);
      expect(decisions.at(-1)).toBe('exchange.order.status_unknown');
    });

    it('does not look up once aborted: an abort during the failed attempt is OrderStatusUnknownError at once', async () => {
      const clock = new FakeClock();
      const controller = new AbortController();
      const { steps } = venue(['commitThenLose'], []);
      const probe = counted(steps, controller, { kind: 'submit', nth: 1 });
      const error = await run(clock, placeExactlyOnce(probe.steps, identity, settings, clock, controller.signal)).catch((caught: unknown) => caught);
      expect(OrderStatusUnknownError.isInstance(error)).toBe(true);
      expect(probe.calls).toEqual({ submit: 1, lookup: 0 });
    });

    it('is OperationAbortedError when it aborts while a not-sent order waits to be sent again', async () => {
      const clock = new FakeClock();
      const controller = new AbortController();
      const { steps, ledger } = venue(['rateLimited', 'ok'], []);
      const promise = placeExactlyOnce(steps, identity, settings, clock, controller.signal).catch((caught: unknown) => caught);
      await clock.advance(100);
      controller.abort(reason);
      const error = await promise;
      expect(OperationAbortedError.isInstance(error)).toBe(true);
      expect((error as Error).cause).toBe(reason);
      expect(ledger).toEqual([]);
    });

    it('is OperationAbortedError when every earlier attempt was proven absent before the abort', async () => {
      const clock = new FakeClock();
      const controller = new AbortController();
      const { steps, ledger } = venue(['lose', 'ok'], ['absent', 'absent', 'absent', 'absent']);
      const probe = counted(steps, controller, { kind: 'lookup', nth: 4 });
      const error = await run(clock, placeExactlyOnce(probe.steps, identity, settings, clock, controller.signal)).catch((caught: unknown) => caught);
      expect(OperationAbortedError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('no order was placed');
      expect(probe.calls).toEqual({ submit: 1, lookup: 4 });
      expect(ledger).toEqual([]);
    });

    it('reads an attempt that stopped before sending (OperationAbortedError from submit) as nothing placed', async () => {
      const clock = new FakeClock();
      const controller = new AbortController();
      const { steps, decisions } = venue([], []);
      steps.submit = () => {
        controller.abort(reason);
        return Promise.reject(new OperationAbortedError('stopped while waiting for the budget'));
      };
      const error = await run(clock, placeExactlyOnce(steps, identity, settings, clock, controller.signal)).catch((caught: unknown) => caught);
      expect(OperationAbortedError.isInstance(error)).toBe(true);
      expect(decisions).toEqual([]);
    });
  });
});
