import type { JournalClock, OrderJournal } from '@xport/core';

/** One empty store for one test, and how to open journals over it. */
export interface OrderJournalStore {
  /**
   * A journal over this store reading time from `clock`. Called more than once in a test for a
   * second handle on the same data (a reopen after close, another process's view); each call must
   * return a new instance.
   */
  open(options: { readonly clock: JournalClock }): OrderJournal | Promise<OrderJournal>;
  /**
   * Plain JSON that `childProcess.exportName` turns into a journal over this same store inside a
   * child process (e.g. `{ path }`, `{ connectionString, schema, table }`). Required when
   * `childProcess` is set.
   */
  readonly childOptions?: unknown;
  /** Removes what the store left behind (a file, a table); called after the test's journals closed. */
  destroy?(): void | Promise<void>;
}

/** How a child process opens the store: `(await import(module))[exportName](childOptions)`. */
export interface OrderJournalChildProcess {
  /** A file URL or specifier of the BUILT store package, e.g. `new URL('../dist/index.mjs', import.meta.url).href`. */
  readonly module: string;
  /** A function exported by `module` taking `childOptions` and returning an `OrderJournal` (or a promise of one). */
  readonly exportName: string;
}

export interface OrderJournalContractOptions {
  /** Shown in the suite's title: `sqlite`, `postgres`, `memory`. */
  readonly name: string;
  /** A new, empty store per test. */
  readonly createStore: () => OrderJournalStore | Promise<OrderJournalStore>;
  /**
   * How child processes open the store, for the tests with real processes (two racing for keys,
   * one killed between begin and settle). Absent for a store that lives inside one process (the
   * memory journal): those tests are then listed as skipped, with the reason.
   */
  readonly childProcess?: OrderJournalChildProcess;
  /**
   * False for a store that keeps nothing once closed (the memory journal): the reopen test is then
   * listed as skipped. Default true.
   */
  readonly durable?: boolean;
}
