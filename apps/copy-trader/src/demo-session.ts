import { Decimal } from '@xport/core';

import type { Signal } from './signals';

/** One step of the built-in master session: where the market is, then what the master did. */
export interface DemoStep {
  /** Mark prices set on the simulator before the signal, so the session has fills and PnL to show. */
  readonly prices: Readonly<Record<string, string>>;
  readonly signal: Signal;
}

const DEMO_MASTER_EQUITY = '100000';

function open(id: string, action: 'spotBuy' | 'spotSell' | 'futuresLong' | 'futuresShort', symbol: string, quantity: string, price: string, leverage?: number): DemoStep {
  return {
    prices: { [symbol]: price },
    signal: { id, action, symbol, quantity: new Decimal(quantity), price: new Decimal(price), masterEquity: new Decimal(DEMO_MASTER_EQUITY), leverage },
  };
}

function close(id: string, action: 'closeLong' | 'closeShort', symbol: string, price: string): DemoStep {
  return { prices: { [symbol]: price }, signal: { id, action, symbol } };
}

/** The master closes `quantity` of its `before` leg: each follower closes the same fraction of its own. */
function reduce(id: string, action: 'reduceLong' | 'reduceShort', symbol: string, quantity: string, before: string, price: string): DemoStep {
  return { prices: { [symbol]: price }, signal: { id, action, symbol, quantity: new Decimal(quantity), masterPositionBefore: new Decimal(before) } };
}

/** A master with 100,000 USDT: two spot buys, three leveraged positions, then sells, a partial close and closes. */
export const DEMO_SESSION: readonly DemoStep[] = [
  open('demo-01', 'spotBuy', 'BTCUSDT', '0.2', '65000'),
  open('demo-02', 'spotBuy', 'ETHUSDT', '4', '3500'),
  open('demo-03', 'futuresLong', 'BTCUSDT', '0.5', '65200', 10),
  open('demo-04', 'futuresShort', 'ETHUSDT', '6', '3480', 5),
  open('demo-05', 'futuresLong', 'SOLUSDT', '150', '151', 3),
  open('demo-06', 'spotSell', 'BTCUSDT', '0.1', '66000'),
  close('demo-07', 'closeLong', 'BTCUSDT', '66500'),
  open('demo-08', 'spotSell', 'ETHUSDT', '4', '3520'),
  close('demo-09', 'closeShort', 'ETHUSDT', '3450'),
  reduce('demo-10', 'reduceLong', 'SOLUSDT', '50', '150', '153'),
  close('demo-11', 'closeLong', 'SOLUSDT', '155'),
];
