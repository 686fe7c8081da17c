import { describe, expect, it } from 'vitest';

import { clientOrderIdFor } from './client-order-id';

describe('clientOrderIdFor', () => {
  it('is 32 characters every venue accepts, the same for the same pair and different for another', () => {
    const id = clientOrderIdFor('s1:binance-1');
    expect(id).toMatch(/^x[0-9a-f]{31}$/);
    expect(clientOrderIdFor('s1:binance-1')).toBe(id);
    expect(clientOrderIdFor('s1:binance-2')).not.toBe(id);
    expect(clientOrderIdFor('s10:binance-1')).not.toBe(clientOrderIdFor('s1:0binance-1'));
  });
});
