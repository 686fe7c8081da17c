import { Decimal } from '@xport/core';
import type { Simulator } from '@xport/simulator';
import { VENUE_NAMES } from '@xport/venues';

import type { FollowerConfig, SizingRule } from './followers-config';

/** The demo's followers: their configs and the credentials those name. */
export interface DemoFollowers {
  readonly configs: readonly FollowerConfig[];
  /** The credentials, by the variable names the configs give: the demo's stand-in for process.env. */
  readonly env: Readonly<Record<string, string>>;
}

// A 20 USDT account is too small for most trades: it shows skips with their reasons.
const BALANCES = ['20000', '2500', '60000', '20', '7500'] as const;
const RULES: readonly SizingRule[] = [
  { rule: 'ratio', ratio: new Decimal('0.05') },
  { rule: 'fixedNotional', notional: new Decimal('250') },
  { rule: 'equity', multiplier: new Decimal('1') },
  { rule: 'ratio', ratio: new Decimal('0.01') },
];

/**
 * Creates `count` funded simulator accounts spread round-robin over the venues, with varied
 * balances, position modes, sizing rules and caps, and the follower entries that trade them.
 */
export function createDemoFollowers(sim: Simulator, count: number): DemoFollowers {
  const configs: FollowerConfig[] = [];
  const env: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) {
    const exchange = VENUE_NAMES[index % VENUE_NAMES.length];
    if (exchange === undefined) throw new Error('no venues');
    const balance = BALANCES[index % BALANCES.length] ?? '1000';
    // Every venue gets both modes: the venue turns with each index, the mode with each round over all venues.
    const positionMode = Math.floor(index / VENUE_NAMES.length) % 2 === 0 ? 'oneway' : 'hedge';
    const account = sim.accounts.create({ venue: exchange, balances: { USDT: balance }, futuresBalances: { USDT: balance }, positionMode });
    const id = `f${String(index + 1).padStart(4, '0')}`;
    const variable = `DEMO_${id.toUpperCase()}`;
    env[`${variable}_KEY`] = account.apiKey;
    env[`${variable}_SECRET`] = account.secret;
    if (account.passphrase !== undefined) env[`${variable}_PASSPHRASE`] = account.passphrase;
    configs.push({
      id,
      exchange,
      credentials: { apiKey: `${variable}_KEY`, apiSecret: `${variable}_SECRET`, passphrase: account.passphrase === undefined ? undefined : `${variable}_PASSPHRASE` },
      positionMode,
      sizing: RULES[index % RULES.length] ?? { rule: 'ratio', ratio: new Decimal('0.01') },
      // A quarter of the balance per order keeps every follower funded through the whole session.
      maxNotional: new Decimal(balance).mul('0.25'),
      maxLeverage: index % 5 === 1 ? 5 : undefined,
    });
  }
  return { configs, env };
}
