import { MemoryOrderJournal } from '@xport/core';
import type { Logger } from '@xport/core';
import { FakeClock } from '@xport/resilience';
import { startSimulator } from '@xport/simulator';
import type { Simulator, SimulatorOptions } from '@xport/simulator';

import type { CcxtExchange } from '../ccxt-types';
import { loadExchangeClass } from '../load-exchange-class';
import { refuseUnreadableAnswers } from '../refuse-unreadable-answers';
import { rewriteHosts } from '../rewrite-hosts';
import type { VenueErrorMeaning } from '../translate-error';
import type { VenueProfile } from '../venue-profile';
import { VenueRuntimeRegistry } from '../venue-runtime';
import type { VenueRuntime } from '../venue-runtime';

const BINANCE_CODES: Readonly<Record<string, VenueErrorMeaning>> = {
  '-2019': 'insufficientBalance',
  '-2022': 'positionNotFound',
  '-4116': 'duplicateClientOrderId',
  '-2013': 'orderNotFound',
  '-1021': 'timestamp',
};

/**
 * A profile of the simulator's Binance for testing this package's parts on their own (the venue
 * packages depend on this one, so their profiles cannot be imported here). Only what the parts
 * under test read; the real profile is `@xport/binance`'s.
 */
export const simulatedBinance: VenueProfile<'binance'> = {
  id: 'binance',
  packageName: '@xport/binance',
  requiresPassphrase: false,
  clientOrderId: { maxLength: 36, pattern: /^[A-Za-z0-9_-]{1,36}$/ },
  rateLimit: {
    spot: { capacity: 6000, intervalMs: 60_000 },
    futures: { capacity: 2400, intervalMs: 60_000 },
    usedWeightHeader: 'x-mbx-used-weight-1m',
    weights: { loadMarkets: 40, fetchBalance: 20, createOrder: 1, fetchOrder: 4, setLeverage: 1, fetchPositions: 5 },
  },
  orderVisibilityMs: 3_000,
  testnetDescription: 'none',
  ccxtConfig: () => ({ options: { fetchMarkets: { types: ['spot', 'linear'] }, fetchCurrencies: false } }),
  useTestnet: () => undefined,
  orderParams: ({ market, reduceOnly, clientOrderId }) => (market === 'futures' && reduceOnly ? { clientOrderId, reduceOnly: true } : { clientOrderId }),
  leverageParams: () => ({}),
  balanceParams: (market) => (market === 'spot' ? { type: 'spot' } : { type: 'swap', subType: 'linear' }),
  fetchOrderByClientId: (exchange, { clientOrderId, symbol }) => exchange.fetchOrder('', symbol, { origClientOrderId: clientOrderId }),
  fetchPositionMode: () => Promise.resolve('oneway'),
  classifyCode: (code) => BINANCE_CODES[code],
  fetchAfterCreate: false,
};

export interface SimulatedAccount {
  readonly sim: Simulator;
  readonly apiKey: string;
  readonly exchange: CcxtExchange;
  readonly runtime: VenueRuntime;
  readonly clock: FakeClock;
  readonly journal: MemoryOrderJournal;
  readonly logger: Logger;
}

const silent: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A simulator, one funded Binance account on it, and ccxt's own Binance class pointed at it with its markets loaded. */
export async function simulatedAccount(options: Pick<SimulatorOptions, 'binanceContractSizes'> = {}): Promise<SimulatedAccount> {
  const sim = await startSimulator({ port: 0, seed: 12, ...options });
  const keys = sim.accounts.create({ venue: 'binance', balances: { USDT: '100000', BTC: '1' }, futuresBalances: { USDT: '100000' } });
  const exchangeClass = (await loadExchangeClass('binance')).exchangeClass as unknown as new (config: Record<string, unknown>) => CcxtExchange;
  const exchange = new exchangeClass({ apiKey: keys.apiKey, secret: keys.secret, enableRateLimit: false, ...simulatedBinance.ccxtConfig() });
  refuseUnreadableAnswers(exchange as never);
  exchange.urls.api = rewriteHosts(exchange.urls.api, `${sim.url}/binance`);
  await exchange.loadMarkets(true);
  const clock = new FakeClock();
  const runtime = new VenueRuntimeRegistry().runtime(simulatedBinance, 'test', { clock, logger: silent, marketsTtlMs: 3_600_000, breaker: {} });
  return { sim, apiKey: keys.apiKey, exchange, runtime, clock, journal: new MemoryOrderJournal(), logger: silent };
}
