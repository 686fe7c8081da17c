import { Decimal } from '@xport/core';
import type { FaultRuleInput, Simulator } from '@xport/simulator';
import type { VenueName } from '@xport/venues';
import { VENUE_NAMES } from '@xport/venues';

export type IntentKind = 'spotBuy' | 'futuresLong' | 'futuresShort';

/** One intended order. Its quantity is unique per account, so ledger orders map back to it exactly. */
export interface Intent {
  readonly index: number;
  readonly venue: VenueName;
  readonly apiKey: string;
  readonly kind: IntentKind;
  readonly symbol: 'BTCUSDT' | 'ETHUSDT';
  readonly quantity: Decimal;
  readonly clientOrderId: string;
}

export interface SoakAccount {
  readonly venue: VenueName;
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase: string | undefined;
}

export interface SoakPlanOptions {
  readonly orders: number;
  readonly accountsPerVenue: number;
}

const KINDS: readonly IntentKind[] = ['spotBuy', 'futuresLong', 'futuresShort'];

/** Funded accounts on every venue, half of them in hedge mode. */
export function createSoakAccounts(sim: Simulator, perVenue: number): SoakAccount[] {
  const accounts: SoakAccount[] = [];
  for (const venue of VENUE_NAMES) {
    for (let i = 0; i < perVenue; i += 1) {
      const account = sim.accounts.create({
        venue,
        balances: { USDT: '100000000' },
        futuresBalances: { USDT: '100000000' },
        positionMode: i % 2 === 0 ? 'oneway' : 'hedge',
      });
      accounts.push({ venue, apiKey: account.apiKey, secret: account.secret, passphrase: account.passphrase });
    }
  }
  return accounts;
}

/** Intents spread round-robin over the accounts: spot buys of BTC, futures longs and shorts of ETH. */
export function planIntents(accounts: readonly SoakAccount[], orders: number, runId: string): Intent[] {
  const perAccount = new Map<string, number>();
  const intents: Intent[] = [];
  for (let index = 0; index < orders; index += 1) {
    const account = accounts[index % accounts.length];
    if (account === undefined) throw new Error('no accounts');
    const nth = perAccount.get(account.apiKey) ?? 0;
    perAccount.set(account.apiKey, nth + 1);
    const kind = KINDS[Math.floor(index / accounts.length) % KINDS.length] ?? 'spotBuy';
    intents.push({
      index,
      venue: account.venue,
      apiKey: account.apiKey,
      kind,
      symbol: kind === 'spotBuy' ? 'BTCUSDT' : 'ETHUSDT',
      // Unique per account: 0.01 + nth × 0.01 fits every venue's step and minimum notional.
      quantity: new Decimal(nth + 1).mul(kind === 'spotBuy' ? '0.001' : '0.01').plus(kind === 'spotBuy' ? '0.001' : '0.05'),
      clientOrderId: `soak${runId}n${index}`,
    });
  }
  return intents;
}

/**
 * The path substring of every venue's order placement and order query endpoints: each venue's REST
 * API names them so (`/api/v3/order`, `/v5/order/create`, `/api/v2/mix/order/place-order`), and
 * no other endpoint the soak calls contains it.
 */
const ORDER_PATH = 'order';

export interface FaultMix {
  /** Chance a matching order or order-query request is hit by each kind. */
  readonly probability: number;
  /** Past the client's timeout. */
  readonly slowMs: number;
  /** How long new orders stay invisible to queries. */
  readonly queryLagMs: number;
  /** Share of orders whose queries lag. */
  readonly queryLagProbability: number;
}

/**
 * On every venue's order and order-query endpoints: commit-then-fail in all three modes, reset, 5xx,
 * 429 and latency past the client timeout, each with `probability`, plus query lag on a share of orders.
 * With 8 kinds at 4 % each, about a quarter of those requests are hit.
 */
export function faultRules(mix: FaultMix): FaultRuleInput[] {
  const rules: FaultRuleInput[] = [];
  for (const exchange of VENUE_NAMES) {
    const at = { exchange, path: ORDER_PATH, probability: mix.probability };
    rules.push(
      { ...at, kind: 'commitThenFail', mode: 'error5xx' },
      { ...at, kind: 'commitThenFail', mode: 'reset' },
      { ...at, kind: 'commitThenFail', mode: 'timeout', ms: mix.slowMs },
      { ...at, kind: 'reset' },
      { ...at, kind: 'error5xx' },
      { ...at, kind: 'rateLimit' },
      { ...at, kind: 'latency', ms: mix.slowMs },
      { exchange, path: ORDER_PATH, kind: 'queryLag', ms: mix.queryLagMs, probability: mix.queryLagProbability },
    );
  }
  return rules;
}
