import type { Decimal } from 'decimal.js';
import type { CatalogueSize } from './catalogue';
import type { Balance, LedgerOrder, Position, RateLimitBudgets, VenueModule, VenueName } from './contract';
import type { LedgerFilter, SimEngine } from './engine';
import type { CreateAccountInput, DecimalInput, SimAccount } from './engine-account';
import type { SimClock } from './engine-clock';
import type { FaultRule, FaultRuleInput } from './faults';
import type { RequestLogEntry, RequestLogFilter } from './request-log';
import type { VenueRules } from './venue-rules';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Same seed, same ids, keys and fault decisions; default 42. */
  readonly seed?: number;
  /** `real` pads every venue with synthetic symbols up to its real listing count; default `minimal`. */
  readonly catalogue?: CatalogueSize;
  /** Fraction of the mark price market orders pay away; default 0. */
  readonly slippage?: DecimalInput;
  /** Rate-limit budgets handed to each venue; shrink them to reach a limit in a few requests. */
  readonly budgets?: RateLimitBudgets;
  /**
   * Whether the private streams enforce the venues' keep-alive rules (server pings with pong
   * deadlines, idle disconnects); default true. Turn off in tests that move a manual clock by
   * minutes at once, faster than a client can answer.
   */
  readonly streamKeepAlive?: boolean;
  /** Largest accepted request body in bytes; default 64 KiB. */
  readonly bodyLimit?: number;
  /** Time source for timestamps, windows and fault delays; tests pass a manual clock. */
  readonly clock?: SimClock;
  /** How many requests the request log keeps; default 50,000. */
  readonly requestLogSize?: number;
  /** Defaults to Binance, Bybit and Bitget. */
  readonly venues?: readonly VenueModule[];
  /** Called when a venue handler throws something other than an EngineError; default logs to stderr. */
  readonly onHandlerError?: (error: unknown) => void;
  /** Readings of venue rules no source settles (see FIDELITY.md); each has a documented default. */
  readonly rules?: Partial<VenueRules>;
  /**
   * Test instruments: Binance USDⓈ-M symbol → base units per contract (`{ BTCUSDT: '0.001' }`).
   * Those perpetuals then list `contractSize` and take and answer quantities in contracts, as
   * Binance's COIN-M contracts do; no USDⓈ-M contract of the venue has a size other than 1 (FIDELITY.md).
   */
  readonly binanceContractSizes?: Readonly<Record<string, DecimalInput>>;
}

/** An account's wallets by asset. Bybit's unified wallet shows under both. */
export interface AccountBalances {
  readonly spot: Readonly<Record<string, Balance>>;
  readonly futures: Readonly<Record<string, Balance>>;
}

export interface Simulator {
  /** `http://127.0.0.1:<port>`; each venue lives under `<url>/<venue>`, the control API under `<url>/_sim`. */
  readonly url: string;
  readonly port: number;
  readonly seed: number;
  close(): Promise<void>;
  readonly accounts: {
    create(input: CreateAccountInput): SimAccount;
    get(venue: VenueName, apiKey: string): SimAccount | undefined;
    list(venue?: VenueName): SimAccount[];
    /** One funded account per venue, present from the start and after every reset. */
    demo(): readonly SimAccount[];
  };
  readonly prices: {
    /** On one venue, or on every venue listing the symbol when `venue` is absent. */
    set(symbol: string, price: DecimalInput, venue?: VenueName): void;
    get(venue: VenueName, symbol: string): Decimal;
  };
  readonly faults: {
    add(rule: FaultRuleInput): FaultRule;
    list(): FaultRule[];
    remove(id: string): boolean;
    clear(): void;
  };
  readonly ledger: { orders(filter?: LedgerFilter): LedgerOrder[] };
  balances(venue: VenueName, apiKey: string): AccountBalances;
  positions(venue: VenueName, apiKey: string, symbol?: string): readonly Position[];
  requests(filter?: RequestLogFilter): RequestLogEntry[];
  /** The private WebSocket streams (see the README's "Private streams"). */
  readonly streams: {
    /**
     * Open stream connections, of one venue or all; with `apiKey`, those bound to that account;
     * with `topic`, those subscribed to it (Bybit `order`, `execution`; Bitget `orders`, `fill`).
     */
    connections(venue?: VenueName, apiKey?: string, topic?: string): number;
  };
  readonly clock: {
    /** Shifts the simulator's clock against real time, to exercise clients' time sync. */
    skew(ms: number): void;
    now(): number;
  };
  /** Accounts, prices, ledger, faults, request log, clock skew and rate-limit state back to the start. */
  reset(): void;
  readonly engine: SimEngine;
}
