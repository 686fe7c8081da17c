import type { ExchangeEventListener, ExchangePort, Logger, OrderJournal, PositionMode } from '@xport/core';
import type { CircuitBreakerOptions, Clock, RetryOptions } from '@xport/resilience';
import type { VenueName } from '@xport/simulator';

import type { ContractContext } from './contract-context';

/** How the exactly-once order placement may be tuned (structurally @xport/ccxt's PlacementSettings). */
export interface ContractPlacementOptions {
  readonly lookups?: number;
  readonly visibilityMs?: number;
  readonly maxResubmits?: number;
  readonly maxNotSentRetries?: number;
  readonly notSentDelayMs?: number;
}

/** The order journal an adapter places through (structurally core's `ExchangeConnectionOptions.journal`). */
export interface ContractJournalOptions {
  readonly store: OrderJournal;
  readonly account: string;
  readonly owner?: string;
  readonly leaseMs?: number;
}

/**
 * What the suite hands `createAdapter`. Structurally a subset of @xport/ccxt's CcxtAdapterOptions, so
 * a ccxt-backed venue passes it straight through; an adapter that is not built on ccxt takes what it
 * understands. `Registry` is whatever the venue's `createRegistry` returns.
 */
export interface ContractAdapterOptions<Registry = unknown> {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly passphrase?: string;
  /** The simulator's `<url>/<venue>`; absent against a testnet. */
  readonly baseUrl?: string;
  readonly testnet?: boolean;
  readonly positionMode?: PositionMode;
  /** Every wait (retry backoff, breaker timing, rate-limit queue) goes through it. */
  readonly clock?: Clock;
  /** A fresh one per test, from `ExchangeContractOptions.createRegistry`, so no state leaks between tests. */
  readonly registry?: Registry;
  readonly retry?: Omit<RetryOptions, 'clock' | 'isRetryable' | 'name'>;
  readonly breaker?: Omit<CircuitBreakerOptions, 'clock' | 'name'>;
  readonly placement?: ContractPlacementOptions;
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly onEvent?: ExchangeEventListener;
  /** Given by the journal group only; an adapter must pass it through to its placement. */
  readonly journal?: ContractJournalOptions;
}

/**
 * Where the suite runs: `simulator` (the default) runs everything against a fresh @xport/simulator
 * and adds the testnet group, which runs only when the venue's testnet keys are in the environment;
 * `testnet` runs the testnet group alone.
 */
export type ContractTarget = 'simulator' | 'testnet';

/**
 * Per-group opt-outs, for what a venue cannot do. Keep them few and say why where they are set:
 * a skipped group is a behaviour the venue's users do not get.
 */
export interface ContractSkips {
  /** The venue (or the simulator's model of it) has no hedge mode. */
  readonly hedgeMode?: boolean;
  /** The adapter does not implement AccountStreamPort, or the simulator does not serve the venue's private streams yet. */
  readonly accountStream?: boolean;
}

/** Request-log path patterns the suite counts; the defaults fit Binance, Bybit and Bitget. */
export interface ContractRequestPatterns {
  /** The venue's "set leverage" call (default: a POST whose path contains `leverage`, any case). */
  readonly setLeverage?: RegExp;
  /** The venue's open-positions read (default: Binance `positionRisk`, Bybit `position/list`, Bitget `all-position`). */
  readonly positions?: RegExp;
  /** The public market-list reads of a market load (default: `exchangeInfo`, `instruments-info`, `public/symbols`, `market/contracts`). */
  readonly marketList?: RegExp;
}

/** What `describeExchangeContract` needs: the venue, how to create its adapter, and the venue's own extra tests and skips. */
export interface ExchangeContractOptions<Registry = unknown> {
  /** The simulator venue and the adapter's `exchange` name. */
  readonly name: VenueName;
  /** Called for every adapter a test needs; each call must return a new instance. */
  readonly createAdapter: (options: ContractAdapterOptions<Registry>) => ExchangePort;
  /**
   * Where venue-wide state (markets, breakers, request budgets) lives; called once per test so that
   * tests do not share it. Adapters that share nothing across instances leave it out.
   */
  readonly createRegistry?: () => Registry;
  /** Default `simulator`. */
  readonly target?: ContractTarget;
  readonly skip?: ContractSkips;
  readonly requestPatterns?: ContractRequestPatterns;
  /**
   * Titles of shared tests that fail today because of a known adapter bug (say which beside the
   * entry). They run as `it.fails`, so the suite stays green while the bug is open and
   * turns red the moment it is fixed — then the entry must go. A title that matches no test is an error.
   */
  readonly knownFailures?: readonly string[];
  /** Venue-only tests, registered inside the suite's describe with the same per-test state. */
  readonly extra?: (ctx: ContractContext<Registry>) => void;
}
