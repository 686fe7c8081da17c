import { describe, expect, it } from 'vitest';
import type { PositionMode, VenueName } from './contract';
import type { Simulator } from './simulator-handle';
import { createAccount, createCcxtClient, errorOf, useSimulator, type CcxtClient } from './test-support';
import { bitgetClient } from './test-support/bitget-venue';

const PERP = 'ETH/USDT:USDT';

/** ccxt's parameters for a futures order of `leg` on each venue, as the venue adapters send them. */
function legParams(venue: VenueName, mode: PositionMode, leg: 'long' | 'short', reduceOnly: boolean): Record<string, unknown> {
  if (venue === 'binance') {
    // Hedge mode names the leg and never carries reduceOnly (-1106); one-way carries the flag.
    if (mode === 'hedge') return { positionSide: leg === 'long' ? 'LONG' : 'SHORT' };
    return reduceOnly ? { reduceOnly: true } : {};
  }
  if (venue === 'bybit') {
    // positionIdx names the leg (0 one-way, 1 long, 2 short) and a close carries reduceOnly in both modes.
    const leg0 = { positionIdx: mode === 'oneway' ? 0 : leg === 'long' ? 1 : 2 };
    return reduceOnly ? { ...leg0, reduceOnly: true } : leg0;
  }
  // Bitget: one-way `reduceOnly: YES`; ccxt's `hedged` sends `tradeSide` open/close.
  const hedged = mode === 'hedge' ? { hedged: true } : {};
  return reduceOnly ? { ...hedged, reduceOnly: true } : hedged;
}

async function clientOf(sim: Simulator, venue: VenueName, account: Parameters<typeof createCcxtClient>[2]): Promise<CcxtClient> {
  return venue === 'bitget' ? bitgetClient(sim, account) : createCcxtClient(venue, sim, account);
}

/** Opens a long of 0.3 ETH, then sends a reduce-only sell of 0.5 against it. */
async function reduceAboveTheLong(sim: Simulator, venue: VenueName, mode: PositionMode): Promise<{ apiKey: string; outcome: Promise<unknown> }> {
  const account = createAccount(sim, venue, { positionMode: mode });
  const client = await clientOf(sim, venue, account);
  await client.createOrder(PERP, 'market', 'buy', 0.3, undefined, legParams(venue, mode, 'long', false));
  const outcome = client.createOrder(PERP, 'market', 'sell', 0.5, undefined, legParams(venue, mode, 'long', true));
  return { apiKey: account.apiKey, outcome };
}

const CODES: Readonly<Record<VenueName, string>> = { binance: '-2022', bybit: '110017', bitget: '22002' };
const CASES = (['binance', 'bybit', 'bitget'] as const).flatMap((venue) => (['oneway', 'hedge'] as const).map((mode) => [venue, mode] as const));

describe('a reduce-only order larger than the position (rules.reduceOnlyAbovePosition)', () => {
  describe('trim (the default)', () => {
    const sim = useSimulator();
    it.each(CASES)('%s %s: a reduce-only order above the position fills the position and no more', async (venue, mode) => {
      const { apiKey, outcome } = await reduceAboveTheLong(sim(), venue, mode);
      await outcome;

      const reduce = sim().ledger.orders({ venue, apiKey })[1];
      expect(reduce?.quantity.toFixed()).toBe('0.3');
      expect(reduce?.side).toBe('sell');
      expect(sim().positions(venue, apiKey).filter((position) => position.size.gt(0))).toEqual([]);
    });
  });

  describe('refuse', () => {
    const sim = useSimulator({ rules: { reduceOnlyAbovePosition: 'refuse' } });
    it.each(CASES)("%s %s: a reduce-only order above the position is the venue's reduce-only refusal, and the position stays", async (venue, mode) => {
      const { apiKey, outcome } = await reduceAboveTheLong(sim(), venue, mode);
      const error = await errorOf(outcome);

      expect(error.message).toContain(CODES[venue]);
      expect(sim().ledger.orders({ venue, apiKey })).toHaveLength(1);
      expect(sim().positions(venue, apiKey).filter((position) => position.size.gt(0)).map((position) => position.size.toFixed())).toEqual(['0.3']);
    });
  });
});
