import type { OrderJournal } from '@xport/core';

import { InstantClock } from '../instant-clock';
import type { OrderJournalContractOptions, OrderJournalStore } from './journal-contract-options';

/** Where every test's clock starts: a fixed instant, so recorded times are exact. */
export const CONTRACT_START_MS = 1_700_000_000_000;

/** The lease the suite claims with unless a test says otherwise. */
export const CONTRACT_LEASE_MS = 30_000;

interface TestState {
  readonly store: OrderJournalStore;
  readonly clock: InstantClock;
  readonly journal: OrderJournal;
  readonly opened: OrderJournal[];
}

/** What a journal contract test works with; per-test members are fresh in every test. */
export interface OrderJournalContractContext {
  readonly options: OrderJournalContractOptions;
  /** This test's journal, over this test's store, on `clock`. */
  readonly journal: OrderJournal;
  /** This test's clock (starts at `CONTRACT_START_MS`; `advance(ms)` moves it). */
  readonly clock: InstantClock;
  readonly store: OrderJournalStore;
  /** Another journal over the same store (closed after the test). */
  open(clock?: InstantClock): Promise<OrderJournal>;
}

/** Per-test state for the journal suite, wired to vitest's hooks by describeOrderJournalContract. */
export class OrderJournalHarness implements OrderJournalContractContext {
  readonly options: OrderJournalContractOptions;
  #test: TestState | undefined;

  constructor(options: OrderJournalContractOptions) {
    this.options = options;
  }

  get journal(): OrderJournal {
    return this.#current().journal;
  }

  get clock(): InstantClock {
    return this.#current().clock;
  }

  get store(): OrderJournalStore {
    return this.#current().store;
  }

  async open(clock?: InstantClock): Promise<OrderJournal> {
    const state = this.#current();
    const journal = await state.store.open({ clock: clock ?? state.clock });
    state.opened.push(journal);
    return journal;
  }

  async startTest(): Promise<void> {
    const store = await this.options.createStore();
    const clock = new InstantClock(CONTRACT_START_MS);
    const journal = await store.open({ clock });
    this.#test = { store, clock, journal, opened: [journal] };
  }

  async endTest(): Promise<void> {
    const state = this.#test;
    this.#test = undefined;
    if (state === undefined) return;
    await Promise.allSettled(state.opened.map((journal) => journal.close()));
    await state.store.destroy?.();
  }

  #current(): TestState {
    if (this.#test === undefined) throw new Error('contract-tests: the journal is only available inside a test');
    return this.#test;
  }
}
