const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

export const REDACTED = '[REDACTED]';

/**
 * A credential that only `reveal()` gives back. It prints, serialises and inspects as
 * `[REDACTED]`, so an adapter that holds one cannot leak it through a log line, `JSON.stringify`
 * or `util.inspect`.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectCustom](): string {
    return `Secret(${REDACTED})`;
  }
}
