import {
  checkClaimOptions,
  checkJournalIntent,
  checkJournalKey,
  checkListQuery,
  checkPendingQuery,
  checkSettleOptions,
  compareJournalEntries,
  journalClosedError,
  journalKeyText as textOf,
  matchesListQuery,
  matchesPendingQuery,
  planBegin,
  planSettle,
} from './journal-transitions';
import type {
  BeginResult,
  ClaimOptions,
  JournalClock,
  JournalEntry,
  JournalIntent,
  JournalKey,
  JournalOutcome,
  ListQuery,
  OrderJournal,
  PendingQuery,
  SettleOptions,
} from './order-journal';

export interface MemoryOrderJournalOptions {
  /** Where lease expiry and timestamps read the time. Default `Date.now`. */
  readonly clock?: JournalClock;
}

const systemClock: JournalClock = { now: () => Date.now() };

/**
 * An `OrderJournal` held in this process's memory: the reference implementation, and the default
 * for tests. Exactly-once within one process (every method runs in one synchronous step, so two
 * callers never both claim a key); it keeps nothing across a restart — use `@xport/journal-sqlite`
 * or `@xport/journal-postgres` for that.
 */
export class MemoryOrderJournal implements OrderJournal {
  readonly #entries = new Map<string, JournalEntry>();
  readonly #clock: JournalClock;
  #closed = false;

  constructor(options: MemoryOrderJournalOptions = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  begin(intent: JournalIntent, claim: ClaimOptions): Promise<BeginResult> {
    return this.#run('begin', () => {
      const checked = checkJournalIntent(intent);
      const plan = planBegin(this.#entries.get(textOf(checked.key)), checked, checkClaimOptions(claim), this.#clock.now());
      if (plan.write !== undefined) this.#entries.set(textOf(checked.key), plan.write);
      return plan.result;
    });
  }

  settle(key: JournalKey, outcome: JournalOutcome, options: SettleOptions): Promise<JournalEntry> {
    return this.#run('settle', () => {
      const checked = checkJournalKey(key);
      const entry = planSettle(this.#entries.get(textOf(checked)), checked, outcome, checkSettleOptions(options), this.#clock.now());
      this.#entries.set(textOf(checked), entry);
      return entry;
    });
  }

  get(key: JournalKey): Promise<JournalEntry | undefined> {
    return this.#run('get', () => this.#entries.get(textOf(checkJournalKey(key))));
  }

  pending(query?: PendingQuery): Promise<readonly JournalEntry[]> {
    return this.#run('pending', () => {
      const checked = checkPendingQuery(query);
      const now = this.#clock.now();
      return this.#select((entry) => matchesPendingQuery(entry, checked, now), checked.limit);
    });
  }

  list(query?: ListQuery): Promise<readonly JournalEntry[]> {
    return this.#run('list', () => {
      const checked = checkListQuery(query);
      return this.#select((entry) => matchesListQuery(entry, checked), checked.limit);
    });
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  #select(keep: (entry: JournalEntry) => boolean, limit: number | undefined): readonly JournalEntry[] {
    const selected = [...this.#entries.values()].filter(keep).sort(compareJournalEntries);
    return Object.freeze(limit === undefined ? selected : selected.slice(0, limit));
  }

  /** Runs `step` synchronously (that is the atomicity) and turns a throw into a rejection. */
  #run<T>(operation: string, step: () => T): Promise<T> {
    return new Promise((resolve) => {
      if (this.#closed) throw journalClosedError('MemoryOrderJournal', operation);
      resolve(step());
    });
  }
}
