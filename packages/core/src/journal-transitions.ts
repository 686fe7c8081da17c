import { ExchangeError, InvalidOrderError, JournalOwnershipError } from './errors';
import { idempotencyConflict, orderMismatches, parseJournalOrderRequest, sameOrderRequest } from './journal-order-request';
import type {
  BeginResult,
  ClaimOptions,
  JournalEntry,
  JournalIntent,
  JournalKey,
  JournalOutcome,
  JournalState,
  ListQuery,
  PendingJournalEntry,
  PendingQuery,
  SettleOptions,
} from './order-journal';
import { JOURNAL_STATES } from './order-journal';
import { OrderResult } from './order-result';
import { assertClientOrderId } from './validation';

/**
 * The journal's rules as pure functions over one entry, so that every store applies the same ones:
 * a store reads the entry under the key inside its own atomic step (a lock, a transaction, a row
 * lock), asks `planBegin` / `planSettle` what to answer and what to write, and writes it in the same
 * step. `@xport/contract-tests/journal` checks the result.
 */

const MAX_MESSAGE = 1000;

/** What every store throws when called after `close()`. */
export function journalClosedError(store: string, operation: string): ExchangeError {
  return new ExchangeError(`${store}.${operation}: the journal is closed`, { operation });
}

function invalid(field: string, expected: string, got: unknown): InvalidOrderError {
  const shown = typeof got === 'string' ? JSON.stringify(got) : String(got);
  return new InvalidOrderError(`${field} must be ${expected}, got ${shown}`, { field, expected });
}

/**
 * Names in a key are printable ASCII: no control character can make a log line or a CLI listing
 * lie about a key, and every store sorts them alike (byte order is code unit order).
 */
function checkName(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max || !/^[\x20-\x7E]+$/.test(value)) {
    throw invalid(field, `a non-empty string of at most ${max} printable ASCII characters`, value);
  }
  return value;
}

function checkCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw invalid(field, 'an integer >= 1', value);
  return value;
}

/** Checks a key and returns a plain frozen copy (no extra properties reach a store). */
export function checkJournalKey(value: unknown, field = 'key'): JournalKey {
  if (typeof value !== 'object' || value === null) throw invalid(field, 'an object { exchange, account, clientOrderId }', value);
  const { exchange, account, clientOrderId } = value as Readonly<Record<string, unknown>>;
  assertClientOrderId(clientOrderId, `${field}.clientOrderId`);
  return Object.freeze({ exchange: checkName(exchange, `${field}.exchange`, 64), account: checkName(account, `${field}.account`, 200), clientOrderId });
}

export function checkJournalIntent(value: unknown, field = 'intent'): JournalIntent {
  if (typeof value !== 'object' || value === null) throw invalid(field, 'an object { key, request }', value);
  const { key, request } = value as Readonly<Record<string, unknown>>;
  return Object.freeze({ key: checkJournalKey(key, `${field}.key`), request: parseJournalOrderRequest(request, `${field}.request`) });
}

export function checkClaimOptions(value: unknown, field = 'claim'): ClaimOptions {
  if (typeof value !== 'object' || value === null) throw invalid(field, 'an object { owner, leaseMs }', value);
  const { owner, leaseMs } = value as Readonly<Record<string, unknown>>;
  return { owner: checkName(owner, `${field}.owner`, 200), leaseMs: checkCount(leaseMs, `${field}.leaseMs`) };
}

export function checkSettleOptions(value: unknown, field = 'options'): SettleOptions {
  if (typeof value !== 'object' || value === null) throw invalid(field, 'an object { owner }', value);
  return { owner: checkName((value as { owner?: unknown }).owner, `${field}.owner`, 200) };
}

function checkFilters(value: Readonly<Record<string, unknown>>, field: string): { exchange?: string; account?: string; limit?: number } {
  return {
    ...(value.exchange === undefined ? {} : { exchange: checkName(value.exchange, `${field}.exchange`, 64) }),
    ...(value.account === undefined ? {} : { account: checkName(value.account, `${field}.account`, 200) }),
    ...(value.limit === undefined ? {} : { limit: checkCount(value.limit, `${field}.limit`) }),
  };
}

export function checkPendingQuery(value: unknown, field = 'query'): PendingQuery {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw invalid(field, 'an object or undefined', value);
  const query = value as Readonly<Record<string, unknown>>;
  const { olderThanMs } = query;
  if (olderThanMs !== undefined && (typeof olderThanMs !== 'number' || !Number.isFinite(olderThanMs) || olderThanMs < 0)) {
    throw invalid(`${field}.olderThanMs`, 'a finite number >= 0', olderThanMs);
  }
  return { ...checkFilters(query, field), ...(olderThanMs === undefined ? {} : { olderThanMs }) };
}

export function checkListQuery(value: unknown, field = 'query'): ListQuery {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) throw invalid(field, 'an object or undefined', value);
  const query = value as Readonly<Record<string, unknown>>;
  const { state } = query;
  if (state !== undefined && !JOURNAL_STATES.includes(state as JournalState)) throw invalid(`${field}.state`, JOURNAL_STATES.join(' | '), state);
  return { ...checkFilters(query, field), ...(state === undefined ? {} : { state: state as JournalState }) };
}

function freezeDeep<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) freezeDeep(item);
    Object.freeze(value);
  }
  return value;
}

/** Freezes an entry a store read back, so every store hands out the same immutable shape. */
export function frozenEntry<T extends JournalEntry>(entry: T): T {
  return freezeDeep(entry);
}

/** What `begin` answers, and the entry the store must write in the same atomic step (if any). */
export interface BeginPlan {
  readonly result: BeginResult;
  readonly write: PendingJournalEntry | undefined;
}

/**
 * `begin`'s rule. `existing` is the entry under the intent's key read inside the store's atomic step;
 * `now` is the store's clock. The inputs must have passed `checkJournalIntent` / `checkClaimOptions`.
 */
export function planBegin(existing: JournalEntry | undefined, intent: JournalIntent, claim: ClaimOptions, now: number): BeginPlan {
  const leaseExpiresAt = now + claim.leaseMs;
  if (existing === undefined) {
    const entry = frozenEntry<PendingJournalEntry>({
      key: intent.key,
      request: intent.request,
      state: 'pending',
      outcome: undefined,
      owner: claim.owner,
      leaseExpiresAt,
      claims: 1,
      createdAt: now,
      updatedAt: now,
    });
    return { result: { kind: 'claimed', entry, previous: undefined }, write: entry };
  }
  if (!sameOrderRequest(existing.request, intent.request)) return { result: { kind: 'conflict', entry: existing }, write: undefined };
  if (existing.state === 'placed') return { result: { kind: 'placed', entry: existing }, write: undefined };
  if (existing.state === 'pending' && existing.owner !== claim.owner && existing.leaseExpiresAt > now) {
    return { result: { kind: 'busy', entry: existing }, write: undefined };
  }
  // A refusal consumed nothing; an unknown outcome's owner has let go (settling ends the lease); a
  // pending entry is the caller's own or its holder's lease ran out. The recorded request stays.
  const entry = frozenEntry<PendingJournalEntry>({
    key: existing.key,
    request: existing.request,
    state: 'pending',
    outcome: undefined,
    owner: claim.owner,
    leaseExpiresAt,
    claims: existing.claims + 1,
    createdAt: existing.createdAt,
    updatedAt: now,
  });
  return { result: { kind: 'claimed', entry, previous: existing }, write: entry };
}

function checkOutcome(value: unknown, entry: JournalEntry): JournalOutcome {
  if (typeof value !== 'object' || value === null) throw invalid('outcome', 'an object { state, ... }', value);
  const outcome = value as Readonly<Record<string, unknown>>;
  switch (outcome.state) {
    case 'placed': {
      const order = OrderResult.fromJSON(outcome.order);
      const { key, request } = entry;
      if (order.exchange !== key.exchange || order.clientOrderId !== key.clientOrderId) {
        throw invalid('outcome.order', `the order under ${key.exchange} client order id ${key.clientOrderId}`, `${order.exchange} ${order.clientOrderId}`);
      }
      if (orderMismatches(order, request).length > 0) throw idempotencyConflict({ key, requested: request, existing: order.toJSON() });
      return freezeDeep({ state: 'placed', order: order.toJSON() });
    }
    case 'refused': {
      const errorClass = checkName(outcome.errorClass, 'outcome.errorClass', 100);
      if (typeof outcome.message !== 'string') throw invalid('outcome.message', 'a string', outcome.message);
      const code = outcome.code === undefined ? {} : { code: checkName(outcome.code, 'outcome.code', 100) };
      return Object.freeze({ state: 'refused', errorClass, ...code, message: outcome.message.slice(0, MAX_MESSAGE) });
    }
    case 'unknown':
      if (typeof outcome.reason !== 'string') throw invalid('outcome.reason', 'a string', outcome.reason);
      return Object.freeze({ state: 'unknown', reason: outcome.reason.slice(0, MAX_MESSAGE) });
    default:
      throw invalid('outcome.state', '"placed" | "refused" | "unknown"', outcome.state);
  }
}

/**
 * `settle`'s rule: the settled entry to write, or a `JournalOwnershipError` when `owner` does not
 * hold a pending entry under `key` (nothing may then be written). Settling ends the lease.
 */
export function planSettle(existing: JournalEntry | undefined, key: JournalKey, outcome: unknown, options: SettleOptions, now: number): JournalEntry {
  const where = `${key.exchange} client order id ${key.clientOrderId} (account ${key.account})`;
  if (existing === undefined) {
    throw new JournalOwnershipError(`${where}: no journal entry to settle; begin() claims one`, { key, owner: options.owner, operation: 'settle' });
  }
  if (existing.state !== 'pending' || existing.owner !== options.owner) {
    const why = existing.state !== 'pending' ? `is already ${existing.state}` : `was taken over by ${existing.owner} after the lease of ${options.owner} expired`;
    throw new JournalOwnershipError(`${where} ${why}; the outcome was not recorded`, {
      key,
      owner: options.owner,
      holder: existing.owner,
      state: existing.state,
      operation: 'settle',
    });
  }
  const settled = checkOutcome(outcome, existing);
  return frozenEntry({ ...existing, state: settled.state, outcome: settled, owner: options.owner, leaseExpiresAt: now, updatedAt: now } as JournalEntry);
}

/** True when `entry` is one `pending(query)` lists at `now`. */
export function matchesPendingQuery(entry: JournalEntry, query: PendingQuery, now: number): boolean {
  return (
    (entry.state === 'pending' || entry.state === 'unknown') &&
    (query.olderThanMs === undefined || entry.updatedAt <= now - query.olderThanMs) &&
    (query.exchange === undefined || entry.key.exchange === query.exchange) &&
    (query.account === undefined || entry.key.account === query.account)
  );
}

/** True when `entry` is one `list(query)` lists. */
export function matchesListQuery(entry: JournalEntry, query: ListQuery): boolean {
  return (
    (query.state === undefined || entry.state === query.state) &&
    (query.exchange === undefined || entry.key.exchange === query.exchange) &&
    (query.account === undefined || entry.key.account === query.account)
  );
}

/**
 * One string per key, for a store's in-memory maps: key fields are printable ASCII, so a NUL
 * separates them unambiguously.
 */
export function journalKeyText(key: JournalKey): string {
  return `${key.exchange}\u0000${key.account}\u0000${key.clientOrderId}`;
}

const textOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order every list is in: `createdAt`, then exchange, account and client order id (ASCII order). */
export function compareJournalEntries(a: JournalEntry, b: JournalEntry): number {
  return (
    a.createdAt - b.createdAt ||
    textOrder(a.key.exchange, b.key.exchange) ||
    textOrder(a.key.account, b.key.account) ||
    textOrder(a.key.clientOrderId, b.key.clientOrderId)
  );
}
