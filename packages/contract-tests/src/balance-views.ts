import type { Balance } from '@xport/core';
import type { Simulator, VenueName } from '@xport/simulator';

import { toDecimal } from './market-fixtures';

/** One balance as plain text, to compare what the adapter read with what the simulator holds. */
export interface BalanceView {
  readonly asset: string;
  readonly free: string;
  readonly locked: string;
}

/** What the adapter answered, sorted by asset. */
export function adapterView(balances: readonly Balance[]): BalanceView[] {
  return balances.map((balance) => ({ asset: balance.asset, free: balance.free.toFixed(), locked: balance.locked.toFixed() })).sort((a, b) => a.asset.localeCompare(b.asset));
}

/** The simulator's wallet without empty assets (which adapters leave out), sorted by asset. */
export function simulatorView(sim: Pick<Simulator, 'balances'>, venue: VenueName, apiKey: string, wallet: 'spot' | 'futures'): BalanceView[] {
  return Object.values(sim.balances(venue, apiKey)[wallet])
    .map((balance) => ({ asset: balance.asset, free: toDecimal(balance.free).toFixed(), locked: toDecimal(balance.locked).toFixed() }))
    .filter((balance) => !(toDecimal(balance.free).isZero() && toDecimal(balance.locked).isZero()))
    .sort((a, b) => a.asset.localeCompare(b.asset));
}
