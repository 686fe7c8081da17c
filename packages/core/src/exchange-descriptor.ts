import type { ExchangeEventListener, ExchangePort } from './exchange-port';
import type { Logger } from './logger';
import type { OrderJournal } from './order-journal';
import type { MarketType, PositionMode } from './types';

/** What every venue's factory entry takes; venue packages accept more (clock, retry, …) through `extra`. */
export interface ExchangeConnectionOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly passphrase?: string | undefined;
  readonly testnet?: boolean | undefined;
  /** Replaces scheme and host of every REST endpoint (the simulator's `<url>/<venue>`, a proxy). */
  readonly baseUrl?: string | undefined;
  readonly logger?: Logger | undefined;
  readonly onEvent?: ExchangeEventListener | undefined;
  readonly positionMode?: PositionMode | undefined;
  /**
   * A durable order journal, for placement that is exactly-once across process restarts: every
   * order's intent is claimed in `store` before its request leaves and its outcome recorded after;
   * a re-run finds what an earlier process placed instead of sending it again. Without one,
   * exactly-once holds within one process only. See `JournalConnectionOptions`.
   */
  readonly journal?: JournalConnectionOptions | undefined;
  /** Venue-package options passed through unchanged (see the venue package's README). */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/** Where and under which names an adapter journals its orders. Shown as `{ journal: { account } }` only. */
export interface JournalConnectionOptions {
  /** The store (`MemoryOrderJournal`, `@xport/journal-sqlite`, `@xport/journal-postgres`). */
  readonly store: OrderJournal;
  /**
   * A stable, non-secret name of the account the adapter trades for (a follower id, never an API
   * key): part of every journal key, so it must be the same on every run for one account and
   * differ between accounts. 1-200 printable ASCII characters.
   */
  readonly account: string;
  /** This process's name in the journal; default one `journalOwner()` per adapter. Never share it between processes. */
  readonly owner?: string | undefined;
  /**
   * How long a claim holds against other processes, ms (default 60 000). The adapter renews its
   * claim between the requests of a placement, so it must only outlast one step of it; adapters
   * refuse a lease too short for their request timeout and the venue's visibility window.
   */
  readonly leaseMs?: number | undefined;
}

/** A request budget as a venue publishes it: `capacity` requests (or weight) per `intervalMs` milliseconds. */
export interface PublishedRequestBudget {
  readonly capacity: number;
  readonly intervalMs: number;
}

/**
 * How a venue package plugs into `@xport/factory` without the factory importing it: the package
 * exports one of these under the exchange's name (`import { binance } from '@xport/binance'`).
 */
export interface ExchangeDescriptor<Name extends string = string> {
  /** The exchange name apps use: `binance`. A venue package declares it as a literal type, so lists of descriptors know their names. */
  readonly name: Name;
  /** The npm package that provides it: `@xport/binance`. */
  readonly packageName: string;
  readonly requiresPassphrase: boolean;
  /**
   * The request budget the venue publishes for each market's API, as the adapters pace to it:
   * `capacity` requests (or weight) per `intervalMs`. For callers that size their own concurrency
   * or schedules by it (the copy-trader's in-flight orders per venue). Optional: a venue package
   * without published budgets leaves it out.
   */
  readonly requestBudgets?: Readonly<Record<MarketType, PublishedRequestBudget>> | undefined;
  /** Creates an adapter; refuses unusable options (missing passphrase…) with a ConfigurationError. */
  create(options: ExchangeConnectionOptions): ExchangePort;
}
