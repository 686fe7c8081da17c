import { errorMarker, hasMarker, markPrototype } from './error-marker';

/** The states in which a breaker refuses a call. */
export type RefusingCircuitState = 'open' | 'half_open' | 'isolated';

const marker = errorMarker('CircuitOpenError');

function describeRefusal(circuit: string, state: RefusingCircuitState, retryAfterMs: number | undefined): string {
  if (state === 'open') return `Circuit "${circuit}" is open; calls are refused for another ${retryAfterMs ?? 0} ms`;
  if (state === 'half_open') return `Circuit "${circuit}" is half-open and its trial calls are in flight`;
  return `Circuit "${circuit}" is isolated until reset()`;
}

/**
 * The fast failure of a breaker that refuses a call. Never retryable, so a retry outside the
 * breaker gives up at once instead of hammering an open circuit.
 *
 * Built on every refused call, so it skips the stack capture that makes a normal Error cost
 * microseconds (the stack says nothing useful here, `circuit` says where), and its message is
 * worded only when someone reads it.
 */
export class CircuitOpenError extends Error {
  /** True for a CircuitOpenError from any copy of this package (ESM, CommonJS, duplicate installs), where `instanceof` fails. */
  static isInstance(value: unknown): value is CircuitOpenError {
    return hasMarker(value, marker);
  }

  static {
    markPrototype(this.prototype, 'CircuitOpenError', marker);
  }

  readonly retryable = false;
  readonly circuit: string;
  readonly state: RefusingCircuitState;
  /** Until the breaker will admit a trial call: > 0 when open, 0 when half-open, undefined when isolated. */
  readonly retryAfterMs: number | undefined;

  constructor(circuit: string, state: RefusingCircuitState, retryAfterMs: number | undefined) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super();
    Error.stackTraceLimit = stackTraceLimit;
    this.circuit = circuit;
    this.state = state;
    this.retryAfterMs = retryAfterMs;
  }

  override get message(): string {
    return describeRefusal(this.circuit, this.state, this.retryAfterMs);
  }
}
