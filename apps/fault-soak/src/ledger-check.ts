import type { LedgerOrder, Simulator } from '@xport/simulator';

import type { Intent } from './soak-plan';

const intentKey = (apiKey: string, symbol: string, market: string, side: string, quantity: string): string =>
  `${apiKey}|${symbol}|${market}|${side}|${quantity}`;

function keyOfIntent(intent: Intent): string {
  const market = intent.kind === 'spotBuy' ? 'spot' : 'futures';
  const side = intent.kind === 'futuresShort' ? 'sell' : 'buy';
  return intentKey(intent.apiKey, intent.symbol, market, side, intent.quantity.toFixed());
}

/** The simulator's ledger matched to intents by (account, symbol, market, side, unique quantity). */
export interface LedgerMatch {
  readonly byIntent: ReadonlyMap<number, readonly LedgerOrder[]>;
  /** Executed orders that belong to no intent. */
  readonly strays: readonly LedgerOrder[];
}

export function matchLedger(sim: Simulator, intents: readonly Intent[]): LedgerMatch {
  const byKey = new Map<string, Intent>();
  for (const intent of intents) byKey.set(keyOfIntent(intent), intent);
  const byIntent = new Map<number, LedgerOrder[]>();
  const strays: LedgerOrder[] = [];
  for (const order of sim.ledger.orders()) {
    const intent = byKey.get(intentKey(order.apiKey, order.symbol, order.market, order.side, order.quantity.toFixed()));
    if (intent === undefined) {
      strays.push(order);
      continue;
    }
    const list = byIntent.get(intent.index) ?? [];
    list.push(order);
    byIntent.set(intent.index, list);
  }
  return { byIntent, strays };
}

/** Orders beyond the first for any intent, and strays: every one is money spent twice. */
export function countDuplicates(match: LedgerMatch): number {
  let duplicates = match.strays.length;
  for (const orders of match.byIntent.values()) duplicates += Math.max(0, orders.length - 1);
  return duplicates;
}
