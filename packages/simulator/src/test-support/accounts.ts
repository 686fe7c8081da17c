import type { VenueName } from '../contract';
import type { CreateAccountInput, SimAccount } from '../engine-account';
import type { Simulator } from '../start-simulator';

export type TestAccountOverrides = Partial<Omit<CreateAccountInput, 'venue'>>;

/**
 * A funded account with keys drawn from the simulator's seeded source (random-looking, the same
 * every run): 10,000 USDT, 1 BTC and 10 ETH on spot, 10,000 USDT in the futures wallet (Bybit: all
 * of it in the unified wallet), one-way mode. Anything in `overrides` replaces the default.
 */
export function createAccount(sim: Simulator, venue: VenueName, overrides: TestAccountOverrides = {}): SimAccount {
  return sim.accounts.create({
    venue,
    balances: { USDT: '10000', BTC: '1', ETH: '10' },
    futuresBalances: { USDT: '10000' },
    positionMode: 'oneway',
    ...overrides,
  });
}
