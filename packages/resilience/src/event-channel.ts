/** Receives one event. */
export type Listener<T> = (event: T) => void;
/** Removes the listener it was returned for. */
export type Unsubscribe = () => void;
/** Adds a listener and returns the function that removes it. */
export type Subscribe<T> = (listener: Listener<T>) => Unsubscribe;

/**
 * A typed event list that costs one length check when nobody listens, so callers test `active`
 * before building an event object. A listener that throws must not break the policy that emits:
 * its error is re-thrown on a microtask, where it surfaces as an uncaught exception the way an
 * EventTarget listener's does.
 */
export class EventChannel<T> {
  #listeners: readonly Listener<T>[] = [];

  get active(): boolean {
    return this.#listeners.length > 0;
  }

  readonly subscribe: Subscribe<T> = (listener) => {
    // Copy on write: a listener that unsubscribes during emit does not skip its neighbour.
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((existing) => existing !== listener);
    };
  };

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
