import type { Balance, VenueModule, VenueName } from './contract';
import { createControlApi } from './control-api';
import { SimEngine } from './engine';
import type { SimAccount } from './engine-account';
import { FaultRegistry } from './faults';
import { RequestLog } from './request-log';
import { SimulatorServer } from './server';
import { VENUE_MODULES } from './venues/registry';
import type { AccountBalances, Simulator, SimulatorOptions } from './simulator-handle';

export type { AccountBalances, Simulator, SimulatorOptions };

/** The venues a simulator speaks unless `venues` narrows them. */
export const ALL_VENUES: readonly VenueModule[] = VENUE_MODULES;


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
    ...(options.rules === undefined ? {} : { rules: options.rules }),
    ...(options.binanceContractSizes === undefined ? {} : { binanceContractSizes: options.binanceContractSizes }),
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
      add: (rule) => {
        const added = faults.add(rule);
        if (added.kind === 'streamDisconnect' || added.kind === 'streamSilence') server.streams.applyNow(added);
        return added;
      },
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
    streams: { connections: (venue, apiKey, topic) => server.streams.count(venue, apiKey, topic) },
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
    ...(options.streamKeepAlive === undefined ? {} : { streamKeepAlive: options.streamKeepAlive }),
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
