import { describe, expect, it } from 'vitest';
import { bybitAccountEventFacts } from './account-event-facts';

describe('bybitAccountEventFacts', () => {
  it.each([
    ['an execution: the client order id only', { orderLinkId: 'abc', execId: 'x' }, 'futures', { clientOrderId: 'abc', positionSide: undefined, reduceOnly: undefined }],
    ['an order on the long leg, reduce-only', { orderLinkId: 'abc', positionIdx: 1, reduceOnly: true }, 'futures', { clientOrderId: 'abc', positionSide: 'long', reduceOnly: true }],
    ['an order on the short leg', { orderLinkId: '', positionIdx: 2, reduceOnly: false }, 'futures', { clientOrderId: undefined, positionSide: 'short', reduceOnly: false }],
    ['a one-way order', { orderLinkId: 'abc', positionIdx: 0, reduceOnly: false }, 'futures', { clientOrderId: 'abc', positionSide: undefined, reduceOnly: false }],
    ['spot: no leg', { orderLinkId: 'abc', positionIdx: 0 }, 'spot', { clientOrderId: 'abc' }],
    ['not a payload', undefined, 'futures', {}],
  ] as const)('%s', (_what, info, market, facts) => {
    expect(bybitAccountEventFacts(info, market)).toEqual(facts);
  });
});
