import { OperationAbortedError, OrderStatusUnknownError, RateLimitError } from '@xport/core';
import type { Clock } from '@xport/resilience';

import { operationAborted } from './operation-aborted';

/**
 * How one failed order attempt is read:
 * - `rejected`: the venue refused it for a reason the caller must fix; nothing was placed.
 * - `notSent`: proven not accepted (a 429 before processing, a timestamp refusal, a connection
 *   refused before sending); the same request may be sent again with the same client order id.
 * - `ambiguous`: it may have been executed (timeout, reset after sending, 5xx, a malformed answer,
 *   Binance -1007/-1006); only a lookup can tell.
 * - `duplicate`: the venue already has this client order id, so an earlier attempt got through.
 *   Only Bybit refuses a used id for good; Binance and Bitget refuse it only while the earlier
 *   order is still open, which a filled market order never is, so on them this verdict is rare and
 *   a missing refusal proves nothing.
 * - `accepted`: the venue acknowledged the order (it answered with an order id) but a lookup does
 *   not show it yet; it was placed.
 */
export type AttemptVerdict = 'rejected' | 'notSent' | 'ambiguous' | 'duplicate' | 'accepted';

/** A decision of the state machine, logged and counted. */
export type PlacementDecision =
  | 'exchange.order.placed'
  | 'exchange.order.retry_not_sent'
  | 'exchange.order.ambiguous'
  | 'exchange.order.lookup_missed'
  | 'exchange.order.recovered'
  | 'exchange.order.resubmitted'
  | 'exchange.order.status_unknown';

export interface PlacementSettings {
  /** Lookups per reconciliation, spread over the visibility window. */
  readonly lookups: number;
  /** A "not found" is proof of absence only once this long has passed since the last attempt. */
  readonly visibilityMs: number;
  /** Resubmissions (same client order id) after an attempt was proven absent. */
  readonly maxResubmits: number;
  /** Re-sends after errors that prove the order was not accepted. */
  readonly maxNotSentRetries: number;
  /** Base wait before a not-sent re-send (doubling); a 429's Retry-After wins when longer. */
  readonly notSentDelayMs: number;
}

export const DEFAULT_PLACEMENT: PlacementSettings = {
  lookups: 4,
  visibilityMs: 3_000,
  maxResubmits: 1,
  maxNotSentRetries: 3,
  notSentDelayMs: 250,
};

export interface PlacementSteps<T> {
  /** One createOrder attempt with the fixed client order id. */
  submit(): Promise<T>;
  /** The order by client order id; `undefined` when the venue answers "not found". Throws when it cannot tell. */
  lookup(): Promise<T | undefined>;
  verdict(error: unknown): AttemptVerdict;
  decide(decision: PlacementDecision, fields: Readonly<Record<string, unknown>>): void;
}

export interface PlacementOutcome<T> {
  readonly order: T;
  readonly how: 'placed' | 'recovered' | 'resubmitted';
}

export interface PlacementIdentity {
  readonly exchange: string;
  readonly operation: string;
  readonly clientOrderId: string;
  readonly symbol: string;
}

export type Reconciliation<T> = { readonly found: T } | { readonly absent: true } | { readonly unknown: unknown } | { readonly aborted: true };

/**
 * Places one order at most once within this process. The client order id is fixed before the first
 * attempt and never changes; an attempt whose fate is unknown is never blindly repeated: it is
 * looked up by that id, and only an `ambiguous` attempt proven absent (lookups spread over the
 * venue's visibility window all said "not found") is submitted again, with the same id. That proof
 * is the only guard: Binance and Bitget free the client id of a filled order, so a second send
 * after a wrong "absent" would be a second order there (Bybit would refuse it as a duplicate). An
 * attempt known to have reached the venue (`duplicate`, `accepted`) is never sent again.
 *
 * Once `signal` aborts nothing more is sent. The call then ends in OperationAbortedError while no
 * attempt may have been executed, and in OrderStatusUnknownError (with the client order id, the
 * abort reason as cause) while one may have been: the caller is never told "not placed" about an
 * order that could be in the venue's books. A submit may itself end in OperationAbortedError when
 * it stopped before sending.
 */
export async function placeExactlyOnce<T>(
  steps: PlacementSteps<T>,
  identity: PlacementIdentity,
  settings: PlacementSettings,
  clock: Clock,
  signal?: AbortSignal,
): Promise<PlacementOutcome<T>> {
  let resubmits = 0;
  let notSent = 0;
  // Whether an attempt may have been executed and no lookup has since proved it absent.
  let mayExist = false;
  const stop = (): never => {
    if (!mayExist) throw operationAborted(identity.exchange, identity.operation, signal, resubmits === 0 && notSent === 0 ? 'order not sent' : 'no order placed');
    steps.decide('exchange.order.status_unknown', { aborted: true, resubmits });
    throw statusUnknown(identity, signal?.reason);
  };
  for (;;) {
    if (signal?.aborted === true) stop();
    let attemptError: unknown;
    try {
      const order = await steps.submit();
      steps.decide('exchange.order.placed', { resubmits });
      return { order, how: resubmits > 0 ? 'resubmitted' : 'placed' };
    } catch (error) {
      attemptError = error;
    }
    // The attempt stopped before anything was sent.
    if (OperationAbortedError.isInstance(attemptError)) stop();
    const verdict = steps.verdict(attemptError);
    if (verdict === 'rejected') throw attemptError;
    if (verdict === 'notSent') {
      if (notSent >= settings.maxNotSentRetries) throw attemptError;
      const retryAfter = RateLimitError.isInstance(attemptError) ? (attemptError.retryAfterMs ?? 0) : 0;
      const delayMs = Math.max(settings.notSentDelayMs * 2 ** notSent, retryAfter);
      notSent += 1;
      steps.decide('exchange.order.retry_not_sent', { attempt: notSent, delayMs, error: attemptError });
      try {
        await clock.sleep(delayMs, signal);
      } catch (error) {
        if (signal?.aborted === true) stop();
        throw error;
      }
      continue;
    }
    mayExist = true;
    steps.decide('exchange.order.ambiguous', { verdict, error: attemptError });
    const reconciled = await reconcile(steps, settings, clock, signal);
    if ('aborted' in reconciled) stop();
    if ('found' in reconciled) {
      steps.decide('exchange.order.recovered', { verdict });
      return { order: reconciled.found, how: 'recovered' };
    }
    if ('absent' in reconciled && verdict === 'ambiguous' && resubmits < settings.maxResubmits) {
      mayExist = false;
      resubmits += 1;
      steps.decide('exchange.order.resubmitted', { resubmits });
      continue;
    }
    const cause = 'unknown' in reconciled ? reconciled.unknown : attemptError;
    steps.decide('exchange.order.status_unknown', { verdict, resubmits });
    throw statusUnknown(identity, cause);
  }
}

function statusUnknown(identity: PlacementIdentity, cause: unknown): OrderStatusUnknownError {
  return new OrderStatusUnknownError(
    `${identity.exchange} ${identity.operation}: the order with client order id ${identity.clientOrderId} may or may not have been executed; ` +
      'look it up by that id before anything else — do not send a new order, and re-send with the same id only once the venue ' +
        'says it does not have it (Binance and Bitget accept a filled order\'s id again, so a blind re-send can buy twice)',
    { exchange: identity.exchange, operation: identity.operation, clientOrderId: identity.clientOrderId, symbol: identity.symbol, cause },
  );
}

/**
 * Lookups spread over the visibility window; an abort stops them before the next request. `absent`
 * only when the venue itself said "not found" across the whole window. Also run before a first send
 * when an order journal says an earlier process may have sent the order.
 */
export async function reconcile<T>(steps: PlacementSteps<T>, settings: PlacementSettings, clock: Clock, signal?: AbortSignal): Promise<Reconciliation<T>> {
  const started = clock.now();
  const spacing = settings.lookups > 1 ? settings.visibilityMs / (settings.lookups - 1) : settings.visibilityMs;
  let unknown: unknown = undefined;
  let answeredAbsent = false;
  for (let lookup = 0; lookup < settings.lookups; lookup += 1) {
    if (lookup > 0) {
      try {
        await clock.sleep(spacing, signal);
      } catch (error) {
        // A wait that failed without an abort still leaves the question open, never answered.
        return signal?.aborted === true ? { aborted: true } : { unknown: error };
      }
    }
    if (signal?.aborted === true) return { aborted: true };
    try {
      const order = await steps.lookup();
      if (order !== undefined) return { found: order };
      answeredAbsent = true;
      steps.decide('exchange.order.lookup_missed', { lookup: lookup + 1 });
    } catch (error) {
      if (OperationAbortedError.isInstance(error)) return { aborted: true };
      unknown = error;
    }
  }
  // Absent only if the venue itself said "not found" and the whole window has passed; a lookup
  // that failed leaves the question open.
  if (answeredAbsent && unknown === undefined && clock.now() - started >= settings.visibilityMs) return { absent: true };
  return { unknown: unknown ?? new Error('order not visible within the lookup window') };
}
