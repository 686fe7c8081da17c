import { Decimal, InvalidLeverageError, InvalidOrderError } from '@xport/core';
import type { ExchangePort } from '@xport/core';
import type { Instrument, Market } from '@xport/simulator';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectRefusedWithoutRequests, ledgerOrder } from '../expectations';
import { belowMinimumNotionalQuantity, belowMinimumQuantity, toDecimal, validQuantity } from '../market-fixtures';

/** Bad input as untyped JavaScript could pass it; each must be refused before anything is sent. */
interface BadInput {
  readonly label: string;
  readonly call: (adapter: ExchangePort) => Promise<unknown>;
  readonly type: typeof InvalidOrderError | typeof InvalidLeverageError;
}

const untyped = (value: unknown): Decimal => value as Decimal;
const ok = new Decimal('0.01');

const BAD_INPUTS: readonly BadInput[] = [
  { label: 'a negative quantity', call: (a) => a.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('-0.01')), type: InvalidOrderError },
  { label: 'a zero quantity', call: (a) => a.executeSpotSell(CONTRACT_SYMBOL, new Decimal(0)), type: InvalidOrderError },
  { label: 'a NaN quantity', call: (a) => a.executeFuturesLong(CONTRACT_SYMBOL, new Decimal(NaN), 5), type: InvalidOrderError },
  { label: 'an infinite quantity', call: (a) => a.executeFuturesShort(CONTRACT_SYMBOL, new Decimal(Infinity), 5), type: InvalidOrderError },
  { label: 'a string quantity', call: (a) => a.executeSpotBuy(CONTRACT_SYMBOL, untyped('0.01')), type: InvalidOrderError },
  { label: 'a number quantity', call: (a) => a.executeSpotSell(CONTRACT_SYMBOL, untyped(0.01)), type: InvalidOrderError },
  { label: 'an undefined quantity', call: (a) => a.executeFuturesLong(CONTRACT_SYMBOL, untyped(undefined), 5), type: InvalidOrderError },
  { label: 'an undefined quantity (partial close)', call: (a) => a.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', untyped(undefined)), type: InvalidOrderError },
  { label: 'a zero quantity (partial close)', call: (a) => a.reduceFuturesPosition(CONTRACT_SYMBOL, 'short', new Decimal(0)), type: InvalidOrderError },
  { label: 'leverage 0', call: (a) => a.executeFuturesLong(CONTRACT_SYMBOL, ok, 0), type: InvalidLeverageError },
  { label: 'leverage 2.5', call: (a) => a.executeFuturesShort(CONTRACT_SYMBOL, ok, 2.5), type: InvalidLeverageError },
  { label: 'leverage 1e9', call: (a) => a.executeFuturesLong(CONTRACT_SYMBOL, ok, 1e9), type: InvalidLeverageError },
  { label: 'leverage NaN', call: (a) => a.executeFuturesShort(CONTRACT_SYMBOL, ok, NaN), type: InvalidLeverageError },
  { label: 'leverage as a string', call: (a) => a.executeFuturesLong(CONTRACT_SYMBOL, ok, '5' as unknown as number), type: InvalidLeverageError },
  { label: 'no leverage (long)', call: (a) => a.executeFuturesLong(CONTRACT_SYMBOL, ok, undefined as unknown as number), type: InvalidLeverageError },
  { label: 'no leverage (short)', call: (a) => a.executeFuturesShort(CONTRACT_SYMBOL, ok, undefined as unknown as number), type: InvalidLeverageError },
  { label: 'a negative leverage', call: (a) => a.executeFuturesShort(CONTRACT_SYMBOL, ok, -3), type: InvalidLeverageError },
  { label: 'an empty symbol (spot buy)', call: (a) => a.executeSpotBuy('', ok), type: InvalidOrderError },
  { label: 'an empty symbol (futures long)', call: (a) => a.executeFuturesLong('', ok, 5), type: InvalidOrderError },
  { label: 'an empty symbol (close)', call: (a) => a.closeFuturesPosition('', 'long'), type: InvalidOrderError },
  { label: 'an unparseable symbol', call: (a) => a.executeSpotSell('BTC/USDT/ETH', ok), type: InvalidOrderError },
  { label: 'a position side that is neither long nor short', call: (a) => a.closeFuturesPosition(CONTRACT_SYMBOL, 'both' as 'long'), type: InvalidOrderError },
  { label: 'a position side that is neither long nor short (partial close)', call: (a) => a.reduceFuturesPosition(CONTRACT_SYMBOL, 'both' as 'long', ok), type: InvalidOrderError },
  { label: 'a malformed client order id', call: (a) => a.executeSpotBuy(CONTRACT_SYMBOL, ok, { clientOrderId: 'has spaces and é' }), type: InvalidOrderError },
  // No venue's spot market takes a dot in a client order id (Binance USDⓈ-M does), nor 37 characters.
  { label: 'a client order id with a dot', call: (a) => a.executeSpotBuy(CONTRACT_SYMBOL, ok, { clientOrderId: 'has.dot' }), type: InvalidOrderError },
  { label: 'a client order id of 37 characters', call: (a) => a.executeSpotSell(CONTRACT_SYMBOL, ok, { clientOrderId: 'x'.repeat(37) }), type: InvalidOrderError },
  { label: 'both clientOrderId and idempotencyKey', call: (a) => a.executeSpotBuy(CONTRACT_SYMBOL, ok, { clientOrderId: 'a1', idempotencyKey: 'k1' }), type: InvalidOrderError },
  { label: 'an empty symbol (symbol info)', call: (a) => a.getSymbolInfo(''), type: InvalidOrderError },
  { label: 'an unknown market option', call: (a) => a.getBalances({ market: 'margin' as 'spot' }), type: InvalidOrderError },
];

/** The first instrument of the venue (BTC first) on which a quantity can clear the minimum quantity but not the minimum notional. */
function notionalCase(ctx: ContractContext, market: Market): { instrument: Instrument; price: Decimal; quantity: Decimal } {
  const candidates = [...ctx.sim.engine.instruments(ctx.name, market)].sort((a, b) => Number(b.symbol === CONTRACT_SYMBOL) - Number(a.symbol === CONTRACT_SYMBOL));
  for (const instrument of candidates) {
    if (instrument.synthetic) continue;
    const price = ctx.markPrice(instrument.symbol);
    const quantity = belowMinimumNotionalQuantity(instrument, price);
    if (quantity !== undefined) return { instrument, price, quantity };
  }
  throw new Error(`contract-tests: no ${ctx.name} ${market} instrument where the minimum notional binds above the minimum quantity`);
}

async function placeValid(adapter: ExchangePort, market: Market, symbol: string, quantity: Decimal): Promise<string> {
  const result = market === 'spot' ? await adapter.executeSpotBuy(symbol, quantity) : await adapter.executeFuturesLong(symbol, quantity, 5);
  return result.orderId;
}

export function describePreTradeChecks<Registry>(ctx: ContractContext<Registry>): void {
  describe('pre-trade checks', () => {
    for (const market of ['spot', 'futures'] as const) ctx.test(`${market} quantities are rounded down to the step, never up`, async () => {
      const { account, adapter } = await ctx.setup();
      const instrument = ctx.instrument(market);
      const valid = validQuantity(instrument, ctx.markPrice());
      const step = toDecimal(instrument.stepSize);
      const wanted = valid.plus(step.mul('0.999'));

      const orderId = await placeValid(adapter, market, CONTRACT_SYMBOL, wanted);

      expect(toDecimal(ledgerOrder(ctx, account.apiKey, orderId).quantity).toFixed()).toBe(valid.toFixed());
    });

    for (const market of ['spot', 'futures'] as const) ctx.test(`${market}: below the minimum quantity is InvalidOrderError with zero requests`, async () => {
      const { adapter } = await ctx.setup();
      const quantity = belowMinimumQuantity(ctx.instrument(market));

      const error = await expectRefusedWithoutRequests(ctx, InvalidOrderError, () => placeValid(adapter, market, CONTRACT_SYMBOL, quantity));

      expect(error).toMatchObject({ field: 'quantity' });
    });

    for (const market of ['spot', 'futures'] as const) ctx.test(`${market}: below the minimum notional is InvalidOrderError with zero requests, once a fill price is known`, async () => {
      const { adapter } = await ctx.setup();
      const { instrument, price, quantity } = notionalCase(ctx, market);
      // The adapter knows prices only from fills it has seen on this venue and symbol.
      await placeValid(adapter, market, instrument.symbol, validQuantity(instrument, price));

      const error = await expectRefusedWithoutRequests(ctx, InvalidOrderError, () => placeValid(adapter, market, instrument.symbol, quantity));

      expect(error).toMatchObject({ field: 'quantity' });
    });

    ctx.test('leverage above the symbol maximum is InvalidLeverageError with zero requests', async () => {
      const { adapter } = await ctx.setup();
      const instrument = ctx.instrument('futures');
      const quantity = validQuantity(instrument, ctx.markPrice());

      const error = await expectRefusedWithoutRequests(ctx, InvalidLeverageError, () =>
        adapter.executeFuturesLong(CONTRACT_SYMBOL, quantity, instrument.maxLeverage + 1),
      );

      expect(error).toMatchObject({ maxLeverage: instrument.maxLeverage });
      await expectRefusedWithoutRequests(ctx, InvalidLeverageError, () => adapter.executeFuturesShort(CONTRACT_SYMBOL, quantity, instrument.maxLeverage + 1));
    });

    for (const input of BAD_INPUTS) ctx.test(`${input.label} is refused before any request, even before initialize()`, async () => {
      const account = ctx.createAccount();
      const adapter = ctx.createAdapter(account);

      const error = await expectRefusedWithoutRequests(ctx, input.type, () => input.call(adapter));

      if (input.type === InvalidLeverageError) expect(error).toMatchObject({ field: 'leverage' });
    });

    ctx.test('no leverage on an initialized adapter is refused before any request, not sent at the venue default', async () => {
      const { account, adapter } = await ctx.setup();
      const quantity = ctx.orderQuantity('futures');

      for (const open of [adapter.executeFuturesLong.bind(adapter), adapter.executeFuturesShort.bind(adapter)]) {
        const error = await expectRefusedWithoutRequests(ctx, InvalidLeverageError, () => open(CONTRACT_SYMBOL, quantity, undefined as unknown as number));
        expect(error).toMatchObject({ field: 'leverage' });
      }
      expect(ctx.sim.ledger.orders({ venue: ctx.name, apiKey: account.apiKey })).toEqual([]);
    });
  });
}
