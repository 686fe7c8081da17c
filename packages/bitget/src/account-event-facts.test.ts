import { describe, expect, it } from 'vitest';
import { bitgetAccountEventFacts } from './account-event-facts';

describe('bitgetAccountEventFacts', () => {
  it.each([
    ['an order on the long leg, reduce-only', { clientOid: 'abc', posSide: 'long', reduceOnly: 'yes' }, 'futures', { clientOrderId: 'abc', positionSide: 'long', reduceOnly: true }],
    ['a one-way order', { clientOid: 'abc', posSide: 'net', reduceOnly: 'no' }, 'futures', { clientOrderId: 'abc', reduceOnly: false }],
    ['a hedge-mode fill opening the short leg', { posMode: 'hedge_mode', tradeSide: 'open', side: 'sell' }, 'futures', { clientOrderId: undefined, positionSide: 'short', reduceOnly: false }],
    ['a hedge-mode fill closing the long leg', { posMode: 'hedge_mode', tradeSide: 'close', side: 'sell' }, 'futures', { clientOrderId: undefined, positionSide: 'long', reduceOnly: true }],
    ['a one-way fill: nothing known', { posMode: 'one_way_mode', tradeSide: 'buy_single', side: 'buy' }, 'futures', { clientOrderId: undefined, reduceOnly: undefined }],
    ['spot: the client order id only', { clientOid: 'abc', side: 'buy' }, 'spot', { clientOrderId: 'abc' }],
    ['not a payload', null, 'futures', {}],
  ] as const)('%s', (_what, info, market, facts) => {
    expect(bitgetAccountEventFacts(info, market)).toEqual(facts);
  });
});
