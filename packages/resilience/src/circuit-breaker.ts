import { CircuitOpenError } from './circuit-open-error';
import { parseCircuitSnapshot, type CircuitSnapshot, type CircuitState } from './circuit-snapshot';
import { systemClock, type Clock } from './clock';
import { retryableMark } from './error-facts';
import { EventChannel, type Listener, type Subscribe } from './event-channel';
import type { Logger } from './logger';
import { start, type AsyncFunction, type Policy, type PolicyContext, type UntypedAsyncFunction } from './policy';
import { rejectAfterHandlersAttach } from './reject-after-handlers-attach';
import { functionOption, integerAtLeast, nonNegativeMs } from './validate';

/** When a CircuitBreaker opens, how long it stays open, and how it tries again. */
export interface CircuitBreakerOptions {
  /** Used in errors, events and log lines. Default `circuit`. */
  readonly name?: string | undefined;
  /** Counted failures in a row that open a closed breaker. Default 5. */
  readonly failureThreshold?: number | undefined;
  /** How long an open breaker fails fast before admitting a trial. Default 60 000 ms. */
  readonly openDurationMs?: number | undefined;
  /** Trial calls in flight at once while half-open; other calls fail fast. Default 1. */
  readonly halfOpenMaxTrials?: number | undefined;
  /** Successful trials that close a half-open breaker. Default 2. */
  readonly successThreshold?: number | undefined;
  /**
   * Which errors count as failures. Default: every error except those marked `retryable: false`
   * (business refusals such as insufficient balance or an invalid order), so network errors,
   * timeouts, 5xx and rate limits count and an unknown error counts too.
   */
  readonly isFailure?: ((error: unknown) => boolean) | undefined;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
  /** Subscribed at construction; the same as calling `onStateChange`. */
  readonly onStateChange?: Listener<CircuitStateChange> | undefined;
}

/** Why a breaker changed state. */
export type CircuitTransitionReason =
  | 'failure_threshold'
  | 'open_elapsed'
  | 'trial_failed'
  | 'trials_succeeded'
  | 'isolate'
  | 'reset'
  | 'restore';

/** One state change of a breaker, as `onStateChange` listeners receive it. */
export interface CircuitStateChange {
  readonly circuit: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly reason: CircuitTransitionReason;
  /** The breaker clock's time of the change. */
  readonly at: number;
}

const OWNER = 'CircuitBreaker';

function countsByDefault(error: unknown): boolean {
  return retryableMark(error) !== false;
}

/**
 * CLOSED → OPEN after `failureThreshold` counted failures in a row; OPEN fails fast with
 * CircuitOpenError for `openDurationMs`; then HALF_OPEN admits `halfOpenMaxTrials` trial calls at a
 * time (everyone else fails fast, nobody queues); `successThreshold` successful trials → CLOSED, one
 * counted failure → OPEN.
 *
 * State moves only when a call arrives or a result comes back — no timers, nothing to shut down.
 * Every state change starts a new generation, and a result from a call started in an earlier one
 * is ignored: a slow success from before an outage cannot close the breaker.
 *
 * An error the `isFailure` predicate does not count is neither a success nor a failure: it does not
 * reset the closed breaker's count, and during HALF_OPEN it neither closes nor reopens the breaker
 * (it only frees its trial slot).
 */
export class CircuitBreaker implements Policy {
  readonly name: string;
  readonly failureThreshold: number;
  readonly openDurationMs: number;
  readonly halfOpenMaxTrials: number;
  readonly successThreshold: number;
  readonly onStateChange: Subscribe<CircuitStateChange>;

  readonly #isFailure: (error: unknown) => boolean;
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  readonly #events = new EventChannel<CircuitStateChange>();

  #state: CircuitState = 'closed';
  #generation = 0;
  #consecutiveFailures = 0;
  #halfOpenSuccesses = 0;
  #trialsInFlight = 0;
  #openedAt = 0;
  #openUntil = 0;
  // Bound once per generation, so a call costs no closure of its own.
  #onFulfilled: <T>(value: T) => T = (value) => value;
  #onRejected: (error: unknown) => never = (error) => {
    throw error;
  };

  constructor(options: CircuitBreakerOptions = {}) {
    this.name = options.name ?? 'circuit';
    this.failureThreshold = integerAtLeast(OWNER, 'failureThreshold', options.failureThreshold ?? 5, 1);
    this.openDurationMs = nonNegativeMs(OWNER, 'openDurationMs', options.openDurationMs ?? 60_000);
    this.halfOpenMaxTrials = integerAtLeast(OWNER, 'halfOpenMaxTrials', options.halfOpenMaxTrials ?? 1, 1);
    this.successThreshold = integerAtLeast(OWNER, 'successThreshold', options.successThreshold ?? 2, 1);
    this.#isFailure = functionOption(OWNER, 'isFailure', options.isFailure ?? countsByDefault);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger;
    this.onStateChange = this.#events.subscribe;
    if (options.onStateChange !== undefined) {
      this.onStateChange(functionOption(OWNER, 'onStateChange', options.onStateChange));
    }
    this.#bindOutcomeHandlers();
  }

  /** The recorded state. An OPEN breaker whose period has ended turns HALF_OPEN on the next call. */
  get state(): CircuitState {
    return this.#state;
  }

  /** Whether a call made now would fail fast. Never throws and never changes state. */
  isOpen(): boolean {
    switch (this.#state) {
      case 'closed':
        return false;
      case 'open':
        return this.#clock.now() < this.#openUntil;
      case 'half_open':
        return this.#trialsInFlight >= this.halfOpenMaxTrials;
      case 'isolated':
        return true;
    }
  }

  /** Opens the breaker until reset(), e.g. for maintenance or from an operator's switch. */
  isolate(): void {
    if (this.#state !== 'isolated') this.#transition('isolated', 'isolate');
  }

  /** Closes the breaker and forgets its counts; calls in flight no longer count. */
  reset(): void {
    if (this.#state === 'closed') {
      this.#consecutiveFailures = 0;
      return;
    }
    this.#transition('closed', 'reset');
  }

  /** The breaker's state as a snapshot that `restore` (or `parseCircuitSnapshot`) takes back. */
  toJSON(): CircuitSnapshot {
    const open = this.#state === 'open';
    return {
      version: 1,
      state: this.#state,
      consecutiveFailures: this.#consecutiveFailures,
      halfOpenSuccesses: this.#halfOpenSuccesses,
      openedAt: open ? this.#openedAt : null,
      openUntil: open ? this.#openUntil : null,
    };
  }

  /**
   * Adopts a snapshot (from toJSON, possibly of another process). Calls in flight here are from an
   * earlier generation afterwards and no longer count. Throws TypeError on a malformed snapshot.
   */
  restore(snapshot: CircuitSnapshot): void {
    const parsed = parseCircuitSnapshot(snapshot);
    const from = this.#state;
    this.#enter(parsed.state);
    this.#consecutiveFailures = parsed.consecutiveFailures;
    this.#halfOpenSuccesses = parsed.halfOpenSuccesses;
    this.#openedAt = parsed.openedAt ?? 0;
    this.#openUntil = parsed.openUntil ?? 0;
    if (from !== parsed.state) this.#announce(from, parsed.state, 'restore', this.#clock.now());
  }

  /** Runs `operation` behind the breaker: refused with CircuitOpenError while open, counted when it fails. */
  execute<T>(operation: (context: PolicyContext) => PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    return this.#call(operation as UntypedAsyncFunction, undefined, [{ attempt: 1, signal }]) as Promise<T>;
  }

  /** The same function behind the breaker; `this` and arguments pass through. */
  wrap<F extends AsyncFunction>(fn: F): F {
    return CircuitBreaker.#wrapper(this, fn as unknown as UntypedAsyncFunction) as unknown as F;
  }

  static #wrapper(breaker: CircuitBreaker, fn: UntypedAsyncFunction): UntypedAsyncFunction {
    return function protectedByBreaker(this: unknown, ...args: unknown[]): Promise<unknown> {
      return breaker.#call(fn, this, args);
    };
  }

  #call(fn: UntypedAsyncFunction, thisArg: unknown, args: unknown[]): Promise<unknown> {
    if (this.#state !== 'closed') {
      const refusal = this.#admit();
      if (refusal !== undefined) return rejectAfterHandlersAttach(refusal);
    }
    // Read before starting: the call belongs to the generation it was admitted in.
    const onFulfilled = this.#onFulfilled;
    const onRejected = this.#onRejected;
    return start(fn, thisArg, args).then(onFulfilled, onRejected);
  }

  #admit(): CircuitOpenError | undefined {
    if (this.#state === 'open') {
      const now = this.#clock.now();
      if (now < this.#openUntil) return new CircuitOpenError(this.name, 'open', this.#openUntil - now);
      this.#transition('half_open', 'open_elapsed', now);
    }
    if (this.#state === 'half_open') {
      if (this.#trialsInFlight >= this.halfOpenMaxTrials) return new CircuitOpenError(this.name, 'half_open', 0);
      this.#trialsInFlight++;
      return undefined;
    }
    if (this.#state === 'isolated') return new CircuitOpenError(this.name, 'isolated', undefined);
    return undefined;
  }

  #bindOutcomeHandlers(): void {
    const generation = this.#generation;
    this.#onFulfilled = (value) => {
      if (generation === this.#generation) this.#recordSuccess();
      return value;
    };
    this.#onRejected = (error) => {
      if (generation === this.#generation) this.#recordError(error);
      throw error;
    };
  }

  #recordSuccess(): void {
    if (this.#state === 'closed') {
      this.#consecutiveFailures = 0;
    } else if (this.#state === 'half_open') {
      this.#trialsInFlight--;
      if (++this.#halfOpenSuccesses >= this.successThreshold) this.#transition('closed', 'trials_succeeded');
    }
  }

  #recordError(error: unknown): void {
    const counts = this.#counts(error);
    if (this.#state === 'closed') {
      if (counts && ++this.#consecutiveFailures >= this.failureThreshold) this.#transition('open', 'failure_threshold');
    } else if (this.#state === 'half_open') {
      this.#trialsInFlight--;
      if (counts) this.#transition('open', 'trial_failed');
    }
  }

  // A predicate that throws is a bug; counting the error keeps the breaker protective.
  #counts(error: unknown): boolean {
    try {
      return this.#isFailure(error);
    } catch (predicateError) {
      this.#logger?.error?.({ circuit: this.name, err: predicateError }, 'circuit.predicate_failed');
      return true;
    }
  }

  #transition(to: CircuitState, reason: CircuitTransitionReason, now = this.#clock.now()): void {
    const from = this.#state;
    this.#enter(to);
    if (to === 'open') {
      this.#openedAt = now;
      this.#openUntil = now + this.openDurationMs;
    }
    this.#announce(from, to, reason, now);
  }

  #enter(state: CircuitState): void {
    this.#state = state;
    this.#generation++;
    this.#consecutiveFailures = 0;
    this.#halfOpenSuccesses = 0;
    this.#trialsInFlight = 0;
    this.#bindOutcomeHandlers();
  }

  #announce(from: CircuitState, to: CircuitState, reason: CircuitTransitionReason, at: number): void {
    if (this.#events.active) this.#events.emit({ circuit: this.name, from, to, reason, at });
    const fields = { circuit: this.name, from, to, reason, at, ...(to === 'open' ? { openUntil: this.#openUntil } : {}) };
    if (to === 'open' || to === 'isolated') this.#logger?.warn?.(fields, 'circuit.state_change');
    else this.#logger?.info?.(fields, 'circuit.state_change');
  }
}
