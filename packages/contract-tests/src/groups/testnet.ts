import { Decimal } from '@xport/core';
import type { ExchangePort } from '@xport/core';
import { describe, expect, it } from 'vitest';

import type { ExchangeContractOptions } from '../contract-options';
import { CONTRACT_SYMBOL } from '../contract-context';
import { ceilToStep, floorToStep } from '../market-fixtures';
import { testnetAvailability } from '../testnet-credentials';

/** A floor under BTC's price for sizing the smallest order without a ticker: the order is worth at least the minimum notional at any price above it. */
const BTC_PRICE_FLOOR = new Decimal(20_000);

const announced = new Set<string>();

function announceSkip(name: string, reason: string): void {
  if (announced.has(name)) return;
  announced.add(name);
  console.info(`[@xport/contract-tests] ${name} testnet group skipped: ${reason}`);
}

/**
 * A small, read-mostly group against the venue's real testnet (or demo environment). Runs only with
 * the venue's keys in the environment; trades (one minimum spot buy and its sell) only with
 * XPORT_TESTNET_TRADE=1. Without keys it is skipped, and says so.
 */
export function describeTestnet<Registry>(options: ExchangeContractOptions<Registry>, env: Readonly<Record<string, string | undefined>>): void {
  const availability = testnetAvailability(options.name, env);
  if (!availability.available) {
    announceSkip(options.name, availability.reason);
    describe.skip(`against the ${options.name} testnet (skipped: ${availability.reason})`, () => {
      it('initializes and reads balances and symbol info', () => undefined);
    });
    return;
  }
  const { credentials, trade } = availability;
  const create = (): ExchangePort => {
    const registry = options.createRegistry?.();
    return options.createAdapter({ ...credentials, testnet: true, ...(registry === undefined ? {} : { registry }) });
  };

  describe(`against the ${options.name} testnet`, () => {
    it('initializes and reads balances of both wallets', { timeout: 60_000 }, async () => {
      const adapter = create();
      try {
        await adapter.initialize();
        for (const market of ['spot', 'futures'] as const) {
          const balances = await adapter.getBalances({ market });
          for (const balance of balances) {
            expect(balance.market).toBe(market);
            expect(balance.free.gte(0) && balance.locked.gte(0)).toBe(true);
          }
        }
      } finally {
        await adapter.close();
      }
    });

    it('reads BTCUSDT symbol info on both markets', { timeout: 60_000 }, async () => {
      const adapter = create();
      try {
        const spot = await adapter.getSymbolInfo(CONTRACT_SYMBOL, { market: 'spot' });
        const futures = await adapter.getSymbolInfo(CONTRACT_SYMBOL, { market: 'futures' });
        for (const info of [spot, futures]) {
          expect({ base: info.base, quote: info.quote }).toEqual({ base: 'BTC', quote: 'USDT' });
          expect(info.quantityStep.gt(0) && info.priceTick.gt(0)).toBe(true);
          expect(info.minQuantity.gte(info.quantityStep)).toBe(true);
        }
        expect(futures.maxLeverage).toBeGreaterThan(1);
      } finally {
        await adapter.close();
      }
    });

    it.skipIf(!trade)(`buys and sells the smallest spot BTC amount${trade ? '' : ' (skipped: set XPORT_TESTNET_TRADE=1)'}`, { timeout: 120_000 }, async () => {
      const adapter = create();
      try {
        const info = await adapter.getSymbolInfo(CONTRACT_SYMBOL, { market: 'spot' });
        const quantity = ceilToStep(Decimal.max(info.minQuantity, info.minNotional.mul('1.2').div(BTC_PRICE_FLOOR)), info.quantityStep);
        const before = await adapter.getBalance('BTC');
        const bought = await adapter.executeSpotBuy(CONTRACT_SYMBOL, quantity);
        expect(bought.status).toBe('filled');
        expect(bought.filledQuantity.toFixed()).toBe(quantity.toFixed());
        // Binance takes a buy's fee in the base asset: sell what actually arrived, on the step.
        const received = (await adapter.getBalance('BTC')).free.minus(before.free);
        const sellable = floorToStep(Decimal.min(received, bought.filledQuantity), info.quantityStep);
        if (sellable.gte(info.minQuantity)) {
          const sold = await adapter.executeSpotSell(CONTRACT_SYMBOL, sellable);
          expect(sold.status).toBe('filled');
        }
      } finally {
        await adapter.close();
      }
    });
  });
}
