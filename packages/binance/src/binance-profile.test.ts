import type { VenueProfile } from '@xport/ccxt';
import { ExchangeUnavailableError } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { binanceProfile } from './binance-profile';

/** The ccxt instance a profile is handed. */
type Exchange = Parameters<VenueProfile['fetchPositionMode']>[0];

describe('binanceProfile.fetchPositionMode', () => {
  const answering = (hedged: unknown): Exchange => ({ fetchPositionMode: () => Promise.resolve({ info: {}, hedged }) }) as unknown as Exchange;

  it('reads dualSidePosition', async () => {
    await expect(binanceProfile.fetchPositionMode(answering(true), 'BTC/USDT:USDT')).resolves.toBe('hedge');
    await expect(binanceProfile.fetchPositionMode(answering(false), 'BTC/USDT:USDT')).resolves.toBe('oneway');
  });

  it('never guesses one-way from an answer without dualSidePosition: it is a malformed answer', async () => {
    const error: unknown = await binanceProfile.fetchPositionMode(answering(undefined), 'BTC/USDT:USDT').catch((caught: unknown) => caught);
    expect(ExchangeUnavailableError.isInstance(error), String(error)).toBe(true);
  });
});
