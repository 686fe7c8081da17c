import type Decimal from 'decimal.js';
import type { CatalogueSize } from './catalogue';
import type { Balance, LedgerOrder, Position, RateLimitBudgets, VenueModule, VenueName } from './contract';
import { createControlApi } from './control-api';
import { SimEngine, type LedgerFilter } from './engine';
import type { CreateAccountInput, DecimalInput, SimAccount } from './engine-account';
import type { SimClock } from './engine-clock';
import { FaultRegistry, type FaultRule, type FaultRuleInput } from './faults';
import { RequestLog, type RequestLogEntry, type RequestLogFilter } from './request-log';
import { SimulatorServer } from './server';
import { binanceVenue } from './venues/binance';
import { bitgetVenue } from './venues/bitget';
import { bybitVenue } from './venues/bybit';

export const ALL_VENUES: readonly VenueModule[] = [binanceVenue, bybitVenue, bitgetVenue];

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
  readonly clock: {
    /** Shifts the simulator's clock against real time, to exercise clients' time sync. */
    skew(ms: number): void;
    now(): number;
  };
  /** Accounts, prices, ledger, faults, request log, clock skew and rate-limit state back to the start. */
  reset(): void;
  readonly engine: SimEngine;
}

export class UnknownAccountError extends Error {
  constructor(venue: VenueName, apiKey: string) {
    super(`No ${venue} account with apiKey ${apiKey}`);
    this.name = 'UnknownAccountError';
  }
}

function byAsset(balances: readonly Balance[]): Record<string, Balance> {
  const out: Record<string, Balance> = {};
  for (const balance of balances) out[balance.asset] = balance;
  return out;
}

/** Starts the simulator's HTTP server and returns the handle that drives it. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const venues = options.venues ?? ALL_VENUES;
  const seed = options.seed ?? 42;
  const engine = new SimEngine({
    venues,
    seed,
    catalogue: options.catalogue ?? 'minimal',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.slippage === undefined ? {} : { slippage: options.slippage }),
  });
  const faults = new FaultRegistry(seed);
  const log = new RequestLog(options.requestLogSize);
  const accountOf = (venue: VenueName, apiKey: string): SimAccount => {
    const account = engine.account(venue, apiKey);
    if (!account) throw new UnknownAccountError(venue, apiKey);
    return account;
  };
  const handle: Omit<Simulator, 'url' | 'port' | 'close'> = {
    seed,
    engine,
    accounts: {
      create: (input) => engine.createAccount(input),
      get: (venue, apiKey) => engine.account(venue, apiKey),
      list: (venue) => engine.accounts(venue),
      demo: () => engine.demoAccounts(),
    },
    prices: {
      set: (symbol, price, venue) => {
        engine.setPrice(symbol, price, venue);
      },
      get: (venue, symbol) => engine.markPrice(venue, symbol),
    },
    faults: {
      add: (rule) => faults.add(rule),
      list: () => faults.list(),
      remove: (id) => faults.remove(id),
      clear: () => {
        faults.clear();
      },
    },
    ledger: { orders: (filter) => engine.orders(filter) },
    balances: (venue, apiKey) => {
      const account = accountOf(venue, apiKey);
      return { spot: byAsset(engine.balances(account, 'spot')), futures: byAsset(engine.balances(account, 'futures')) };
    },
    positions: (venue, apiKey, symbol) => engine.positions(accountOf(venue, apiKey), symbol),
    requests: (filter) => log.list(filter),
    clock: {
      skew: (ms) => {
        engine.setClockSkew(ms);
      },
      now: () => engine.now(),
    },
    reset: () => {
      engine.reset();
      faults.reset();
      log.clear();
      server.createProtocols();
    },
  };
  const server = new SimulatorServer({
    engine,
    venues,
    faults,
    log,
    control: createControlApi(handle),
    ...(options.budgets ? { budgets: options.budgets } : {}),
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.onHandlerError ? { onHandlerError: options.onHandlerError } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  const port = await server.listen(options.port ?? 0, host);
  return {
    ...handle,
    url: `http://${urlHost(host)}:${port}`,
    port,
    close: () => server.close(),
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
