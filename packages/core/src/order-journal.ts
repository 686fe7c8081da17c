import type { OrderResultJSON } from './order-result';
import type { MarketType, OrderSide, PositionSide } from './types';

/** The ExchangePort methods that place an order; a journal entry records which one was called. */
export type OrderOperation =
  | 'executeSpotBuy'
  | 'executeSpotSell'
  | 'executeFuturesLong'
  | 'executeFuturesShort'
  | 'closeFuturesPosition'
  | 'reduceFuturesPosition';

export const ORDER_OPERATIONS: readonly OrderOperation[] = [
  'executeSpotBuy',
  'executeSpotSell',
  'executeFuturesLong',
  'executeFuturesShort',
  'closeFuturesPosition',
  'reduceFuturesPosition',
];

/**
 * What names one intended order. `account` is a stable, non-secret identifier the caller chooses
 * for the account (a follower id, never an API key): two accounts on one venue may reuse a client
 * order id, one account may not.
 */
export interface JournalKey {
  readonly exchange: string;
  readonly account: string;
  readonly clientOrderId: string;
}

/**
 * The full order as the caller asked for it, as plain JSON: what `sameOrderRequest` compares and
 * what a journal stores beside the key. Build it with `journalOrderRequest` from the port call's
 * arguments, so that two calls for the same order give equal records.
 */
export interface JournalOrderRequest {
  readonly operation: OrderOperation;
  /** `BASE/QUOTE`, whatever form the caller wrote (`BTCUSDT`, `btc/usdt`). */
  readonly symbol: string;
  readonly market: MarketType;
  readonly side: OrderSide;
  /** The caller's quantity as a plain decimal string (`"0.01"`); absent for a whole-leg close. */
  readonly quantity?: string;
  /** Futures: the leg opened, reduced or closed. */
  readonly positionSide?: PositionSide;
  /** Opening futures orders: the leverage asked for. */
  readonly leverage?: number;
  /** True for a close, false otherwise. */
  readonly reduceOnly: boolean;
}

/** An order the caller is about to send, and the key it is sent under. */
export interface JournalIntent {
  readonly key: JournalKey;
  readonly request: JournalOrderRequest;
}

/**
 * `pending`: claimed, outcome not yet recorded (the order may or may not be on the venue);
 * `placed`: on the venue, final; `refused`: the venue refused it, nothing was consumed;
 * `unknown`: the owner could not tell and gave up; recovery must look it up.
 */
export type JournalState = 'pending' | 'placed' | 'refused' | 'unknown';

export const JOURNAL_STATES: readonly JournalState[] = ['pending', 'placed', 'refused', 'unknown'];

/** The venue holds the order: the recorded result, as `OrderResult.toJSON()` wrote it. */
export interface PlacedOutcome {
  readonly state: 'placed';
  readonly order: OrderResultJSON;
}

/** The venue refused the order, so nothing was consumed and the key may be claimed again. */
export interface RefusedOutcome {
  readonly state: 'refused';
  /** The error class the caller got, e.g. `InsufficientBalanceError`. */
  readonly errorClass: string;
  /** The venue's own error code, when it gave one. */
  readonly code?: string;
  /** The error's message, already free of secrets (xport's errors are). Cut to 1,000 characters. */
  readonly message: string;
}

/** The owner could not tell whether the venue holds the order. Recovery must look it up. */
export interface UnknownOutcome {
  readonly state: 'unknown';
  readonly reason: string;
}

export type JournalOutcome = PlacedOutcome | RefusedOutcome | UnknownOutcome;

interface JournalEntryFields {
  readonly key: JournalKey;
  /** The request recorded by the first claim; never overwritten. */
  readonly request: JournalOrderRequest;
  /** Who claimed it last (and who settled it, once settled). */
  readonly owner: string;
  /**
   * Epoch ms until which `owner` holds a pending entry; another owner may take it over at or after
   * this instant. Settling ends the lease (it is set to the settle time).
   */
  readonly leaseExpiresAt: number;
  /** How many times the key was claimed: 1 for the first claim, +1 per re-claim or takeover. */
  readonly claims: number;
  /** Epoch ms of the first claim. */
  readonly createdAt: number;
  /** Epoch ms of the last claim or settle. */
  readonly updatedAt: number;
}

export interface PendingJournalEntry extends JournalEntryFields {
  readonly state: 'pending';
  readonly outcome: undefined;
}

export interface PlacedJournalEntry extends JournalEntryFields {
  readonly state: 'placed';
  readonly outcome: PlacedOutcome;
}

export interface RefusedJournalEntry extends JournalEntryFields {
  readonly state: 'refused';
  readonly outcome: RefusedOutcome;
}

export interface UnknownJournalEntry extends JournalEntryFields {
  readonly state: 'unknown';
  readonly outcome: UnknownOutcome;
}

/** One key's record. Plain JSON, frozen. */
export type JournalEntry = PendingJournalEntry | PlacedJournalEntry | RefusedJournalEntry | UnknownJournalEntry;

/** Who claims, and for how long. */
export interface ClaimOptions {
  /**
   * A name unique to this process (see `journalOwner()`): two processes must never share one, or
   * both could claim the same key. An owner may claim its own pending entry again, so it must not
   * run two placements of one key at once. 1-200 printable ASCII characters.
   */
  readonly owner: string;
  /**
   * How long the claim holds against other owners, in ms (an integer >= 1). It must outlast the
   * longest a placement can take (request timeouts × retries + reconciliation): another owner may
   * take the entry over once it expires, and would then look the order up and possibly send it.
   */
  readonly leaseMs: number;
}

export interface SettleOptions {
  /** The owner that claimed the entry. */
  readonly owner: string;
}

/**
 * What `begin` answers.
 *
 * - `claimed`: the caller holds the key and may send. When `previous` is defined the key was
 *   claimed before: if `previous.state` is `pending` or `unknown` the earlier attempt may have
 *   reached the venue, so the caller must look the order up by client order id before sending
 *   anything; if it is `refused`, nothing was consumed and the order may be sent again.
 * - `placed`: the order is on the venue; `entry.outcome.order` is the recorded result. Send nothing.
 * - `busy`: another owner holds a live lease on it. Send nothing; `entry.leaseExpiresAt` says when
 *   the key may be claimed again.
 * - `conflict`: the key already names a different order (`entry.request`). Nothing was changed;
 *   the caller raises `IdempotencyConflictError` and sends nothing.
 */
export type BeginResult =
  | { readonly kind: 'claimed'; readonly entry: PendingJournalEntry; readonly previous: JournalEntry | undefined }
  | { readonly kind: 'placed'; readonly entry: PlacedJournalEntry }
  | { readonly kind: 'busy'; readonly entry: PendingJournalEntry }
  | { readonly kind: 'conflict'; readonly entry: JournalEntry };

/** The entries recovery must resolve: `pending` and `unknown` ones. */
export interface PendingQuery {
  /** Only entries not claimed or settled in the last `olderThanMs` ms (their `updatedAt`). */
  readonly olderThanMs?: number;
  readonly exchange?: string;
  readonly account?: string;
  /** At most this many (an integer >= 1). */
  readonly limit?: number;
}

export interface ListQuery {
  readonly exchange?: string;
  readonly account?: string;
  readonly state?: JournalState;
  /** At most this many (an integer >= 1). */
  readonly limit?: number;
}

/** Where a journal reads the time: epoch ms. Tests inject a fake one. */
export interface JournalClock {
  now(): number;
}

/**
 * A durable write-ahead record of order intents, for placement that is exactly-once across process
 * restarts: the intent is claimed (and committed) before the request leaves, the outcome recorded
 * after, and recovery looks up only what is in doubt. Every store passes the same contract suite
 * (`@xport/contract-tests/journal`).
 *
 * Each method is atomic: two callers, in one process or many, never both get `claimed` for one key
 * unless the first one's lease has expired. Results are plain frozen JSON. Every list is in order of
 * `createdAt`, then exchange, account and client order id.
 */
export interface OrderJournal {
  /**
   * Claims `intent.key` for `claim.owner`, inserting the entry (state `pending`) when there is none,
   * or answers with the entry already there (see `BeginResult`). Resolves only once the claim is
   * durable. Never changes a recorded request.
   */
  begin(intent: JournalIntent, claim: ClaimOptions): Promise<BeginResult>;
  /**
   * Records the outcome of the caller's claim and ends its lease. Only the owner of a `pending`
   * entry may settle it; otherwise it throws `JournalOwnershipError` and records nothing. A placed
   * outcome must be the order under this key (same exchange and client order id, and the request's
   * market, symbol, side and position side), else `IdempotencyConflictError`. Placed is final.
   */
  settle(key: JournalKey, outcome: JournalOutcome, options: SettleOptions): Promise<JournalEntry>;
  /** The entry under `key`, or undefined. */
  get(key: JournalKey): Promise<JournalEntry | undefined>;
  /** The `pending` and `unknown` entries, oldest first: what recovery must resolve. */
  pending(query?: PendingQuery): Promise<readonly JournalEntry[]>;
  /** Entries matching `query`, oldest first. */
  list(query?: ListQuery): Promise<readonly JournalEntry[]>;
  /** Releases the store's resources. Calls after it are refused; calling it again does nothing. */
  close(): Promise<void>;
}
