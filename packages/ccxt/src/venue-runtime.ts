import type { Decimal, Logger, MarketType } from '@xport/core';
import { InProcessSharedState } from '@xport/resilience';
import type { CircuitBreakerOptions, Clock, RateBudget, SharedCircuit, SharedState } from '@xport/resilience';
import type { CcxtExchange as Exchange } from './ccxt-types';

import { VenueEventHub } from './venue-events';
import type { AccountRequestBudget, AccountRequestBudgets, RequestBudget, VenueOperation, VenueProfile } from './venue-profile';

/**
 * The budget an account gets on an operation the venue paces per account without a published
 * figure (Bybit reports each UID's endpoint budget in headers): never spent, it only carries the
 * pause a spent budget or a refusal sets, for every worker using the account.
 */
const ACCOUNT_PAUSE: AccountRequestBudget = { name: 'pause', capacity: Number.MAX_SAFE_INTEGER, intervalMs: 1_000 };

/** The ccxt fields that hold loaded markets; copying them by reference shares one load. */
const MARKET_FIELDS = [
  'markets',
  'markets_by_id',
  'symbols',
  'ids',
  'currencies',
  'currencies_by_id',
  'baseCurrencies',
  'quoteCurrencies',
  'codes',
] as const;

interface LoadedMarkets {
  readonly fields: Readonly<Record<string, unknown>>;
  readonly maxLeverage: Readonly<Record<string, number>>;
  readonly loadedAt: number;
  readonly timeDifference: number | undefined;
}

export interface VenueRuntimeOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long loaded markets are reused before the next initialize() reloads them. */
  readonly marketsTtlMs: number;
  readonly breaker: Omit<CircuitBreakerOptions, 'name' | 'clock'>;
  /** Replaces the profile's published budgets (a simulator set up with other limits, raised limits). */
  readonly budgets?: Partial<Record<MarketType, RequestBudget>> | undefined;
  /**
   * Where budgets, breakers and the market catalogue live when several processes must share them
   * (e.g. `@xport/redis`). Default: this runtime's own, in this process.
   */
  readonly venueState?: SharedState | undefined;
  /** The local address this venue's requests leave from; IP budgets are kept per address. */
  readonly localAddress?: string | undefined;
  /** Replaces the profile's account budgets (a simulator set up with other order counts, raised limits). */
  readonly accountBudgets?: AccountRequestBudgets | undefined;
}

/** One of an account's budgets, as a request spends it: the budget, what it is, and the weight to spend. */
export interface AccountBudgetUse {
  readonly budget: RateBudget;
  readonly spec: AccountRequestBudget;
  /** 1 for a published budget; 0 for a pause-only one. */
  readonly weight: number;
}

/** What the shared cache keeps of a venue's catalogue: ccxt's markets and currencies, rebuilt with setMarkets(). */
interface SerialisedMarkets {
  readonly markets: unknown;
  readonly currencies: unknown;
  readonly maxLeverage: Readonly<Record<string, number>>;
  readonly timeDifference: number | undefined;
}

/**
 * What one venue shares across every adapter instance in the process: its markets (one load per
 * TTL), its circuit breakers (one per market, because an outage is the venue's, not an account's),
 * its request budget (per IP for Binance) and the last prices seen (for the minimum-notional check
 * before sending).
 */
export class VenueRuntime {
  readonly #state: SharedState;
  /** Which IP budget this runtime spends from: the local address, else the store's egress label. */
  readonly #address: string;
  readonly #prices = new Map<string, Decimal>();
  #markets: LoadedMarkets | undefined;
  #loading: Promise<LoadedMarkets> | undefined;
  /** Market loads actually sent, for the scale benchmark and the contract suite. */
  marketLoads = 0;
  /** Where rate-limit refusals, budget waits and breaker changes of this venue are reported. */
  readonly events = new VenueEventHub();

  constructor(
    readonly profile: VenueProfile,
    readonly environment: string,
    readonly options: VenueRuntimeOptions,
  ) {
    this.#state = options.venueState ?? new InProcessSharedState({ clock: options.clock, logger: options.logger });
    this.#address = options.localAddress ?? this.#state.egress ?? 'default';
  }

  /** Where budgets, breakers and (when shared) markets are kept. */
  get state(): SharedState {
    return this.#state;
  }

  /**
   * The request budget of one market's API, per address (every key on it shares it); one for both
   * markets where the venue counts them together (Bybit).
   */
  limiter(market: MarketType): RateBudget {
    const key = this.profile.rateLimit.oneIpBudget === true ? 'ip' : market;
    const limitsOf = this.profile.rateLimit.oneIpBudget === true ? 'spot' : market;
    return this.#limiter(key, this.options.budgets?.[limitsOf] ?? this.profile.rateLimit[limitsOf]);
  }

  /**
   * The account's own budgets on an operation, kept by venue × account (not by address), so that
   * every worker trading the account draws from the same ones: the published ones (Binance's order
   * counts), or, where the venue paces accounts only through its answers (Bybit's limit headers,
   * 10006), one that carries the pause. `account` is a label: never a key or a secret.
   */
  accountBudgets(market: MarketType, operation: VenueOperation, account: string): readonly AccountBudgetUse[] {
    const rateLimit = this.profile.rateLimit;
    const published = (this.options.accountBudgets ?? rateLimit.accountBudgets)?.[market]?.[operation];
    const pausedByAnswers = rateLimit.accountHeaders !== undefined || (rateLimit.accountRefusalCodes?.length ?? 0) > 0;
    const specs = published !== undefined && published.length > 0 ? published : pausedByAnswers ? [ACCOUNT_PAUSE] : [];
    return specs.map((spec) => ({
      spec,
      weight: spec === ACCOUNT_PAUSE ? 0 : 1,
      budget: this.#state.budget(`${this.profile.id}|${this.environment}|${market}.${operation}|account:${account}|${spec.name}`, {
        capacity: spec.capacity,
        intervalMs: spec.intervalMs,
        name: `${this.profile.id}-${market}.${operation}.${spec.name}.account`,
      }),
    }));
  }

  /** The endpoint's own budget where the profile sets one, shared like the market's. */
  endpointLimiter(market: MarketType, operation: VenueOperation): RateBudget | undefined {
    const budget = this.profile.rateLimit.endpoints?.[operation];
    return budget === undefined ? undefined : this.#limiter(`${market}.${operation}`, budget);
  }

  // The venue counts these per egress address: hosts behind different addresses have one each.
  #limiter(key: string, budget: RequestBudget): RateBudget {
    return this.#state.budget(`${this.profile.id}|${this.environment}|${key}|ip:${this.#address}`, {
      ...budget,
      name: `${this.profile.id}-${key}.requests`,
    });
  }

  breaker(market: MarketType): SharedCircuit {
    const own = this.options.breaker.onStateChange;
    return this.#state.breaker(`${this.profile.id}|${this.environment}|${market}`, {
      ...this.options.breaker,
      name: `${this.profile.id}-${market}`,
      clock: this.options.clock,
      onStateChange: (change) => {
        own?.(change);
        this.events.emit({ type: 'breaker_state', venue: this.profile.id, market, from: change.from, to: change.to, time: change.at });
      },
    });
  }

  /**
   * Gives `exchange` the venue's markets: adopts the shared copy when it is fresh, otherwise loads
   * once through `exchange` (concurrent callers wait for that one load).
   */
  async shareMarkets(exchange: Exchange, load: () => Promise<Readonly<Record<string, number>>>): Promise<void> {
    const fresh = this.#markets !== undefined && this.options.clock.now() - this.#markets.loadedAt < this.options.marketsTtlMs;
    if (!fresh) {
      this.#loading ??= (async (): Promise<LoadedMarkets> => {
        try {
          const maxLeverage = await this.#loadOnce(exchange, load);
          const fields: Record<string, unknown> = {};
          for (const field of MARKET_FIELDS) fields[field] = (exchange as unknown as Record<string, unknown>)[field];
          const timeDifference = exchange.options.timeDifference;
          this.#markets = {
            fields,
            maxLeverage,
            loadedAt: this.options.clock.now(),
            timeDifference: typeof timeDifference === 'number' ? timeDifference : undefined,
          };
          return this.#markets;
        } finally {
          this.#loading = undefined;
        }
      })();
      const loaded = await this.#loading;
      if ((exchange as unknown as Record<string, unknown>).markets === loaded.fields.markets) return;
    }
    adoptMarkets(exchange, this.#markets ?? (await this.#loading));
  }

  /**
   * Loads through `exchange`, or, with a shared store, adopts the catalogue another process loaded
   * within the TTL (ccxt's markets and currencies, rebuilt by setMarkets()).
   */
  async #loadOnce(exchange: Exchange, load: () => Promise<Readonly<Record<string, number>>>): Promise<Readonly<Record<string, number>>> {
    if (this.options.venueState === undefined) {
      this.marketLoads += 1;
      return load();
    }
    let loadedHere: Readonly<Record<string, number>> | undefined;
    const serialised = await this.options.venueState.cache.getOrLoad(`${this.profile.id}|${this.environment}|markets`, this.options.marketsTtlMs, async () => {
      this.marketLoads += 1;
      loadedHere = await load();
      const timeDifference = exchange.options.timeDifference;
      const value: SerialisedMarkets = {
        markets: exchange.markets,
        currencies: (exchange as unknown as { currencies: unknown }).currencies,
        maxLeverage: loadedHere,
        timeDifference: typeof timeDifference === 'number' ? timeDifference : undefined,
      };
      return JSON.stringify(value);
    });
    if (loadedHere !== undefined) return loadedHere;
    const parsed = JSON.parse(serialised) as SerialisedMarkets;
    (exchange as unknown as { setMarkets(markets: unknown, currencies?: unknown): unknown }).setMarkets(parsed.markets, parsed.currencies);
    if (parsed.timeDifference !== undefined && exchange.options.timeDifference === undefined) exchange.options.timeDifference = parsed.timeDifference;
    return parsed.maxLeverage;
  }

  /** A futures symbol's maximum leverage where the markets do not carry it. */
  maxLeverage(ccxtSymbol: string): number | undefined {
    return this.#markets?.maxLeverage[ccxtSymbol];
  }

  /** The clock offset the first load measured (Binance), for instances that did not measure it. */
  get timeDifference(): number | undefined {
    return this.#markets?.timeDifference;
  }

  set timeDifference(value: number | undefined) {
    if (this.#markets !== undefined) this.#markets = { ...this.#markets, timeDifference: value };
  }

  rememberPrice(symbol: string, price: Decimal): void {
    this.#prices.set(symbol, price);
  }

  lastPrice(symbol: string): Decimal | undefined {
    return this.#prices.get(symbol);
  }
}

function adoptMarkets(exchange: Exchange, loaded: LoadedMarkets | undefined): void {
  if (loaded === undefined) return;
  const target = exchange as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(loaded.fields)) target[field] = value;
  // ccxt's loadMarkets() returns this promise when set, so no instance reloads on its own.
  target.marketsLoading = Promise.resolve(loaded.fields.markets);
  if (loaded.timeDifference !== undefined) exchange.options.timeDifference = loaded.timeDifference;
}

const REGISTRY_KEY = Symbol.for('@xport/ccxt/venue-runtimes');

/**
 * One registry per process, kept on globalThis so the ESM and CJS builds (or two installed copies)
 * share the same breakers and budgets.
 */
export class VenueRuntimeRegistry {
  readonly #runtimes = new Map<string, VenueRuntime>();

  static get process(): VenueRuntimeRegistry {
    const holder = globalThis as unknown as Record<symbol, VenueRuntimeRegistry | undefined>;
    return (holder[REGISTRY_KEY] ??= new VenueRuntimeRegistry());
  }

  /**
   * Per venue, environment and local address: the simulator, a testnet and production never share
   * state, and requests leaving from another address spend another IP budget.
   */
  runtime(profile: VenueProfile, environment: string, options: VenueRuntimeOptions): VenueRuntime {
    const key = `${profile.id}|${environment}|${options.localAddress ?? ''}`;
    let runtime = this.#runtimes.get(key);
    if (runtime === undefined) {
      runtime = new VenueRuntime(profile, environment, options);
      this.#runtimes.set(key, runtime);
    }
    return runtime;
  }

  runtimes(): readonly VenueRuntime[] {
    return [...this.#runtimes.values()];
  }

  clear(): void {
    this.#runtimes.clear();
  }
}
