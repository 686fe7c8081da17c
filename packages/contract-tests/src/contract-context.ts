import { randomBytes } from 'node:crypto';

import type { Decimal, ExchangeEvent, ExchangePort, PositionMode } from '@xport/core';
import type { Instrument, Market, RequestLogEntry, SimAccount, Simulator, VenueName } from '@xport/simulator';
import { it } from 'vitest';
import type { TestContext } from 'vitest';

import type { ContractAdapterOptions, ContractRequestPatterns, ExchangeContractOptions } from './contract-options';
import { InstantClock } from './instant-clock';
import { toDecimal, validQuantity } from './market-fixtures';
import { RecordingLogger } from './recording-logger';

/** The symbol every venue in the simulator lists on both markets. */
export const CONTRACT_SYMBOL = 'BTCUSDT';

/** The simulator account a test asks for: position mode and starting wallets. */
export interface ContractAccountInput {
  readonly positionMode?: PositionMode;
  /**
   * Spot wallet. Default 100 000 USDT and 1 BTC. Bybit has one unified wallet holding both this and
   * `futuresBalances`, so a test that needs a small wallet sets the other one to `{}`.
   */
  readonly balances?: Readonly<Record<string, string>>;
  /** Futures wallet. Default 100 000 USDT. */
  readonly futuresBalances?: Readonly<Record<string, string>>;
}

/** A test body; vitest's own test context is passed through (`context.skip(reason)` and so on). */
export type ContractTestFunction = (context: TestContext) => Promise<void> | void;

/** What a contract test (shared or a venue's `extra`) works with. Per-test members are fresh in every test. */
export interface ContractContext<Registry = unknown> {
  readonly name: VenueName;
  /** vitest's `it`, except that a title listed in `knownFailures` runs as `it.fails`. `timeoutMs` overrides the test timeout. */
  test(title: string, fn: ContractTestFunction, timeoutMs?: number): void;
  /** One simulator per suite, reset before every test. */
  readonly sim: Simulator;
  /** This test's clock, handed to every adapter the context creates. */
  readonly clock: InstantClock;
  /** This test's registry (`createRegistry()`), or undefined when the venue shares nothing. */
  readonly registry: Registry | undefined;
  /** This test's logger, handed to every adapter the context creates. */
  readonly logger: RecordingLogger;
  /** Every event the adapters this test created reported. */
  readonly events: readonly ExchangeEvent[];
  /** A funded simulator account with random credentials. */
  createAccount(input?: ContractAccountInput): SimAccount;
  /** The options `createAdapter` would get for `account` (simulator baseUrl, this test's clock, registry, logger). */
  adapterOptions(account: SimAccount, overrides?: Partial<ContractAdapterOptions<Registry>>): ContractAdapterOptions<Registry>;
  /** A new adapter over `account`, closed after the test. */
  createAdapter(account: SimAccount, overrides?: Partial<ContractAdapterOptions<Registry>>): ExchangePort;
  /** Options that put an adapter in a registry of its own (empty when the venue has no registry). */
  separateRegistry(): Partial<ContractAdapterOptions<Registry>>;
  /** A new account and an initialized adapter over it. */
  setup(input?: ContractAccountInput, overrides?: Partial<ContractAdapterOptions<Registry>>): Promise<{ account: SimAccount; adapter: ExchangePort }>;
  /** This venue's request log (the simulator's own record of what arrived). */
  requests(apiKey?: string): RequestLogEntry[];
  /** The venue's "set leverage" requests, optionally of one account. */
  setLeverageRequests(apiKey?: string): RequestLogEntry[];
  /** The request-log path pattern of a kind of request (`requestPatterns`, or the default that fits the three venues). */
  requestPattern(kind: keyof ContractRequestPatterns): RegExp;
  /** The simulator's instrument for `symbol` in `market` (its step, minimum and limits). */
  instrument(market: Market, symbol?: string): Instrument;
  /** The simulator's current mark price of `symbol`. */
  markPrice(symbol?: string): Decimal;
  /** A market order quantity the venue accepts on `symbol` at its mark price (1.5 × the minimum notional, on the step). */
  orderQuantity(market: Market, symbol?: string): Decimal;
}

interface TestState<Registry> {
  readonly clock: InstantClock;
  readonly registry: Registry | undefined;
  readonly logger: RecordingLogger;
  readonly events: ExchangeEvent[];
  readonly adapters: ExchangePort[];
}

const DEFAULT_PATTERNS: Readonly<Record<keyof ContractRequestPatterns, RegExp>> = {
  setLeverage: /leverage/i,
  positions: /positionRisk|position\/list|all-position/,
  marketList: /exchangeInfo|instruments-info|public\/symbols|market\/contracts/,
};

function randomText(prefix: string, bytes: number): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

/**
 * The suite's state holder: `startSuite` / `startTest` / `endTest` / `endSuite` are wired to vitest's
 * hooks by describeExchangeContract; tests read everything through the ContractContext view.
 */
export class ContractHarness<Registry> implements ContractContext<Registry> {
  readonly name: VenueName;
  readonly #options: ExchangeContractOptions<Registry>;
  readonly #knownFailures: ReadonlySet<string>;
  readonly #titles = new Set<string>();
  #sim: Simulator | undefined;
  #test: TestState<Registry> | undefined;

  constructor(options: ExchangeContractOptions<Registry>) {
    this.name = options.name;
    this.#options = options;
    this.#knownFailures = new Set(options.knownFailures ?? []);
  }

  test(title: string, fn: ContractTestFunction, timeoutMs?: number): void {
    this.#titles.add(title);
    if (this.#knownFailures.has(title)) {
      it.fails(`${title} [known failure, listed in knownFailures]`, fn, timeoutMs);
      return;
    }
    it(title, fn, timeoutMs);
  }

  /** knownFailures entries that name no registered test (a typo, or a test that was renamed). */
  unmatchedKnownFailures(): string[] {
    return [...this.#knownFailures].filter((title) => !this.#titles.has(title));
  }

  get sim(): Simulator {
    if (this.#sim === undefined) throw new Error('contract-tests: the simulator is only available inside a test');
    return this.#sim;
  }

  get clock(): InstantClock {
    return this.#current().clock;
  }

  get registry(): Registry | undefined {
    return this.#current().registry;
  }

  get logger(): RecordingLogger {
    return this.#current().logger;
  }

  get events(): readonly ExchangeEvent[] {
    return this.#current().events;
  }

  startSuite(sim: Simulator): void {
    this.#sim = sim;
  }

  startTest(): void {
    this.sim.reset();
    this.#test = {
      clock: new InstantClock(),
      registry: this.#options.createRegistry?.(),
      logger: new RecordingLogger(),
      events: [],
      adapters: [],
    };
  }

  async endTest(): Promise<void> {
    const adapters = this.#test?.adapters ?? [];
    this.#test = undefined;
    await Promise.allSettled(adapters.map((adapter) => adapter.close()));
  }

  async endSuite(): Promise<void> {
    const sim = this.#sim;
    this.#sim = undefined;
    await sim?.close();
  }

  createAccount(input: ContractAccountInput = {}): SimAccount {
    return this.sim.accounts.create({
      venue: this.name,
      apiKey: randomText('xct', 16),
      secret: randomText('', 32),
      passphrase: randomText('pp', 8),
      balances: input.balances ?? { USDT: '100000', BTC: '1' },
      futuresBalances: input.futuresBalances ?? { USDT: '100000' },
      positionMode: input.positionMode ?? 'oneway',
    });
  }

  adapterOptions(account: SimAccount, overrides: Partial<ContractAdapterOptions<Registry>> = {}): ContractAdapterOptions<Registry> {
    const state = this.#current();
    const registry = state.registry;
    return {
      apiKey: account.apiKey,
      apiSecret: account.secret,
      ...(account.passphrase === undefined ? {} : { passphrase: account.passphrase }),
      baseUrl: `${this.sim.url}/${this.name}`,
      clock: state.clock,
      ...(registry === undefined ? {} : { registry }),
      logger: state.logger,
      onEvent: (event) => {
        state.events.push(event);
      },
      ...overrides,
    };
  }

  createAdapter(account: SimAccount, overrides: Partial<ContractAdapterOptions<Registry>> = {}): ExchangePort {
    const adapter = this.#options.createAdapter(this.adapterOptions(account, overrides));
    this.#current().adapters.push(adapter);
    return adapter;
  }

  separateRegistry(): Partial<ContractAdapterOptions<Registry>> {
    const create = this.#options.createRegistry;
    return create === undefined ? {} : { registry: create() };
  }

  async setup(input?: ContractAccountInput, overrides?: Partial<ContractAdapterOptions<Registry>>): Promise<{ account: SimAccount; adapter: ExchangePort }> {
    const account = this.createAccount(input);
    const adapter = this.createAdapter(account, overrides);
    await adapter.initialize();
    return { account, adapter };
  }

  requests(apiKey?: string): RequestLogEntry[] {
    return this.sim.requests(apiKey === undefined ? { exchange: this.name } : { exchange: this.name, apiKey });
  }

  setLeverageRequests(apiKey?: string): RequestLogEntry[] {
    const pattern = this.requestPattern('setLeverage');
    return this.requests(apiKey).filter((entry) => entry.method === 'POST' && pattern.test(entry.path));
  }

  requestPattern(kind: keyof ContractRequestPatterns): RegExp {
    return this.#options.requestPatterns?.[kind] ?? DEFAULT_PATTERNS[kind];
  }

  instrument(market: Market, symbol: string = CONTRACT_SYMBOL): Instrument {
    const found = this.sim.engine.instrument(this.name, market, symbol);
    if (found === undefined) throw new Error(`contract-tests: the simulator lists no ${this.name} ${market} ${symbol}`);
    return found;
  }

  markPrice(symbol: string = CONTRACT_SYMBOL): Decimal {
    return toDecimal(this.sim.prices.get(this.name, symbol));
  }

  orderQuantity(market: Market, symbol: string = CONTRACT_SYMBOL): Decimal {
    return validQuantity(this.instrument(market, symbol), this.markPrice(symbol));
  }

  #current(): TestState<Registry> {
    if (this.#test === undefined) throw new Error('contract-tests: per-test state is only available inside a test');
    return this.#test;
  }
}
