import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker';
import type { CircuitState } from './circuit-snapshot';
import { FakeClock } from './fake-clock';
import { deferred, type Deferred } from './test-support/deferred';
import { refusalError, transientError } from './test-support/errors';

/**
 * The breaker's specification as a small, obviously-correct state machine. The real breaker is
 * driven with random calls, outcomes and clock moves, and must agree with it after every step.
 */
interface Limits {
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly halfOpenMaxTrials: number;
  readonly openDurationMs: number;
}

class ReferenceBreaker {
  state: CircuitState = 'closed';
  generation = 0;
  failures = 0;
  successes = 0;
  inFlight = 0;
  openUntil = 0;

  constructor(private readonly limits: Limits) {}

  private enter(state: CircuitState, now: number): void {
    this.state = state;
    this.generation++;
    this.failures = 0;
    this.successes = 0;
    this.inFlight = 0;
    if (state === 'open') this.openUntil = now + this.limits.openDurationMs;
  }

  /** The generation the call runs in, or undefined when it is refused. */
  admit(now: number): number | undefined {
    if (this.state === 'open' && now >= this.openUntil) this.enter('half_open', now);
    if (this.state === 'closed') return this.generation;
    if (this.state === 'half_open' && this.inFlight < this.limits.halfOpenMaxTrials) {
      this.inFlight++;
      return this.generation;
    }
    return undefined;
  }

  settle(generation: number, outcome: Outcome, now: number): void {
    if (generation !== this.generation) return;
    if (this.state === 'closed') {
      if (outcome === 'success') this.failures = 0;
      if (outcome === 'failure' && ++this.failures >= this.limits.failureThreshold) this.enter('open', now);
      return;
    }
    // Only half-open has calls of the current generation in flight besides closed.
    this.inFlight--;
    if (outcome === 'success' && ++this.successes >= this.limits.successThreshold) this.enter('closed', now);
    if (outcome === 'failure') this.enter('open', now);
  }

  isolate(now: number): void {
    if (this.state !== 'isolated') this.enter('isolated', now);
  }

  reset(now: number): void {
    if (this.state === 'closed') this.failures = 0;
    else this.enter('closed', now);
  }

  /** restore(toJSON()): same state and counts, a new generation, no trials in flight. */
  reload(): void {
    this.generation++;
    this.inFlight = 0;
  }

  isOpen(now: number): boolean {
    if (this.state === 'open') return now < this.openUntil;
    if (this.state === 'half_open') return this.inFlight >= this.limits.halfOpenMaxTrials;
    return this.state === 'isolated';
  }
}

type Outcome = 'success' | 'failure' | 'ignored';

type Command =
  | { readonly kind: 'call' }
  | { readonly kind: 'settle'; readonly pick: number; readonly outcome: Outcome }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'isolate' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'reload' };

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'call' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('settle' as const),
      pick: fc.nat(),
      outcome: fc.constantFrom<Outcome>('success', 'failure', 'ignored'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 150 }) }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'isolate' as const }, { kind: 'reset' as const }, { kind: 'reload' as const }) },
);

const limitsArbitrary: fc.Arbitrary<Limits> = fc.record({
  failureThreshold: fc.integer({ min: 1, max: 4 }),
  successThreshold: fc.integer({ min: 1, max: 3 }),
  halfOpenMaxTrials: fc.integer({ min: 1, max: 3 }),
  openDurationMs: fc.integer({ min: 1, max: 100 }),
});

interface InFlight {
  readonly generation: number;
  readonly result: Deferred<string>;
  readonly settled: Promise<unknown>;
}

async function runAgainstModel(limits: Limits, commands: readonly Command[]): Promise<void> {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker({ ...limits, clock, name: 'model' });
  const model = new ReferenceBreaker(limits);
  const inFlight: InFlight[] = [];

  for (const command of commands) {
    switch (command.kind) {
      case 'call': {
        const result = deferred<string>();
        let started = false;
        const settled = breaker
          .execute(() => {
            started = true;
            return result.promise;
          })
          .catch((error: unknown) => error);
        const generation = model.admit(clock.now());
        expect(started).toBe(generation !== undefined);
        if (generation !== undefined) inFlight.push({ generation, result, settled });
        break;
      }
      case 'settle': {
        if (inFlight.length === 0) break;
        const [call] = inFlight.splice(command.pick % inFlight.length, 1);
        if (call === undefined) break;
        if (command.outcome === 'success') call.result.resolve('ok');
        else call.result.reject(command.outcome === 'failure' ? transientError() : refusalError());
        await call.settled;
        model.settle(call.generation, command.outcome, clock.now());
        break;
      }
      case 'advance':
        await clock.advance(command.ms);
        break;
      case 'isolate':
        breaker.isolate();
        model.isolate(clock.now());
        break;
      case 'reset':
        breaker.reset();
        model.reset(clock.now());
        break;
      case 'reload':
        breaker.restore(breaker.toJSON());
        model.reload();
        break;
    }
    const snapshot = breaker.toJSON();
    expect(snapshot.state).toBe(model.state);
    expect(snapshot.consecutiveFailures).toBe(model.failures);
    expect(snapshot.halfOpenSuccesses).toBe(model.successes);
    expect(snapshot.openUntil).toBe(model.state === 'open' ? model.openUntil : null);
    expect(breaker.isOpen()).toBe(model.isOpen(clock.now()));
  }
}

describe('CircuitBreaker against a reference model', () => {
  it('agrees with the model on every random sequence of calls, outcomes and clock moves', async () => {
    await fc.assert(
      fc.asyncProperty(limitsArbitrary, fc.array(commandArbitrary, { minLength: 1, maxLength: 120, size: 'max' }), runAgainstModel),
      { numRuns: 300 },
    );
    // 300 long random sequences take ~2 s alone and several times that while turbo runs other
    // packages' suites on the same two cores; the default 5 s would make it flaky, not faster.
  }, 60_000);

  it('agrees on a hand-written outage: open, half-open with a late success from before, closed', async () => {
    const limits = { failureThreshold: 2, successThreshold: 2, halfOpenMaxTrials: 1, openDurationMs: 50 };
    await runAgainstModel(limits, [
      { kind: 'call' },
      { kind: 'call' },
      { kind: 'call' },
      { kind: 'settle', pick: 1, outcome: 'failure' },
      { kind: 'settle', pick: 1, outcome: 'failure' },
      { kind: 'advance', ms: 50 },
      { kind: 'call' },
      { kind: 'call' },
      { kind: 'settle', pick: 0, outcome: 'success' },
      { kind: 'settle', pick: 0, outcome: 'success' },
      { kind: 'call' },
      { kind: 'settle', pick: 0, outcome: 'success' },
    ]);
  });
});
