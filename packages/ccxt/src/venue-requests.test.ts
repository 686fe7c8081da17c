import { InsufficientBalanceError, NetworkError, SymbolNotFoundError } from '@xport/core';
import { afterEach, describe, expect, it } from 'vitest';

import { attemptVerdict } from './attempt-verdict';
import type { CcxtExchange } from './ccxt-types';
import { loadExchangeClass } from './load-exchange-class';
import { rewriteHosts } from './rewrite-hosts';
import { simulatedAccount, simulatedBinance } from './test-support/simulated-venue';
import type { SimulatedAccount } from './test-support/simulated-venue';
import { VenueRequests } from './venue-requests';

const opened: SimulatedAccount[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((account) => account.sim.close()));
});

async function setup(): Promise<SimulatedAccount & { requests: VenueRequests }> {
  const account = await simulatedAccount();
  opened.push(account);
  // No backoff: the fake clock stands still, and a retry must not wait on it.
  const requests = new VenueRequests({ profile: simulatedBinance, runtime: account.runtime, account: 'test-account', clock: account.clock, retry: { baseDelayMs: 0, jitter: 'none' }, secrets: [], log: () => undefined });
  return { ...account, requests };
}

describe('VenueRequests, with ccxt against the simulator', () => {
  it("spends the request's weight from the venue's shared budget before sending it, and reads the venue's usage header", async () => {
    const { exchange, runtime, requests, sim, apiKey } = await setup();
    const limiter = runtime.limiter('spot');
    expect(limiter.usage.used).toBe(0);
    const balances = await requests.call({ operation: 'fetchBalance', market: 'spot', portOperation: 'getBalances', exchange }, () => exchange.fetchBalance({ type: 'spot' }));
    expect((balances as Record<string, { free?: number } | undefined>).USDT?.free).toBe(100000);
    expect(sim.requests({ exchange: 'binance', apiKey }).filter((entry) => entry.path.endsWith('/account'))).toHaveLength(1);
    expect(limiter.usage.used).toBeGreaterThanOrEqual(20);
  });

  it("translates the venue's refusal into the domain error with its code, and the profile's meaning decides the verdict", async () => {
    const { exchange, requests, sim } = await setup();
    const error = await requests
      .call({ operation: 'createOrder', market: 'spot', portOperation: 'executeSpotBuy', exchange }, () => exchange.createOrder('BTC/USDT', 'market', 'buy', 50, undefined, { clientOrderId: 'too-big-1' }))
      .then(() => undefined, (rejection: unknown) => rejection);
    expect(InsufficientBalanceError.isInstance(error)).toBe(true);
    expect(attemptVerdict(error)).toBe('rejected');
    expect(sim.ledger.orders({ venue: 'binance' })).toEqual([]);
  });

  it('gives a refused connection its transport code, so the attempt counts as not sent', async () => {
    const { requests, runtime } = await setup();
    const exchangeClass = (await loadExchangeClass('binance')).exchangeClass as unknown as new (config: Record<string, unknown>) => CcxtExchange;
    const closed = new exchangeClass({ apiKey: 'k', secret: 's', enableRateLimit: false });
    closed.urls.api = rewriteHosts(closed.urls.api, 'http://127.0.0.1:9/binance');
    const error = await requests
      .call({ operation: 'fetchBalance', market: 'spot', portOperation: 'getBalances', exchange: closed }, () => closed.fetchBalance({ type: 'spot' }))
      .then(() => undefined, (rejection: unknown) => rejection);
    expect(NetworkError.isInstance(error) && error.code).toBe('ECONNREFUSED');
    expect(attemptVerdict(error)).toBe('notSent');
    expect(runtime.breaker('spot').state).toBe('closed');
  });

  it('retries a read on an outage through the breaker, and passes a refusal straight through', async () => {
    const { exchange, requests } = await setup();
    let attempts = 0;
    const read = await requests.read({ operation: 'fetchBalance', market: 'spot', portOperation: 'getBalances', exchange }, async () => {
      attempts += 1;
      if (attempts === 1) throw new NetworkError('binance: reset', { exchange: 'binance' });
      return exchange.fetchBalance({ type: 'spot' });
    });
    expect(read).toBeDefined();
    expect(attempts).toBe(2);
    const refused = requests.read({ operation: 'fetchBalance', market: 'spot', portOperation: 'getSymbolInfo', exchange }, () => {
      attempts += 1;
      throw new SymbolNotFoundError('binance lists no spot market NOPE/USDT', { exchange: 'binance' });
    });
    await expect(refused).rejects.toThrow(SymbolNotFoundError);
    expect(attempts).toBe(3);
  });
});
