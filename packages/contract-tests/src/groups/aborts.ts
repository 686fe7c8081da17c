import { Decimal, OperationAbortedError, OrderStatusUnknownError } from '@xport/core';
import type { ExchangePort } from '@xport/core';
import { describe, expect } from 'vitest';

import { AbortingClock } from '../aborting-clock';
import type { ContractContext } from '../contract-context';
import type { ContractAdapterOptions } from '../contract-options';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectRefusedWithoutRequests, expectRejection, ledgerOrders } from '../expectations';

type Call = (adapter: ExchangePort, signal: AbortSignal) => Promise<unknown>;

/** Every port method, with a signal. */
function everyMethod(ctx: ContractContext): readonly (readonly [string, Call])[] {
  const spot = new Decimal('0.01');
  const futures = ctx.orderQuantity('futures');
  return [
    ['initialize', (adapter, signal) => adapter.initialize({ signal })],
    ['executeSpotBuy', (adapter, signal) => adapter.executeSpotBuy(CONTRACT_SYMBOL, spot, { signal })],
    ['executeSpotSell', (adapter, signal) => adapter.executeSpotSell(CONTRACT_SYMBOL, spot, { signal })],
    ['executeFuturesLong', (adapter, signal) => adapter.executeFuturesLong(CONTRACT_SYMBOL, futures, 5, { signal })],
    ['executeFuturesShort', (adapter, signal) => adapter.executeFuturesShort(CONTRACT_SYMBOL, futures, 5, { signal })],
    ['closeFuturesPosition', (adapter, signal) => adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long', { signal })],
    ['reduceFuturesPosition', (adapter, signal) => adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', futures, { signal })],
    ['getBalances', (adapter, signal) => adapter.getBalances({ signal, market: 'futures' })],
    ['getBalance', (adapter, signal) => adapter.getBalance('USDT', { signal })],
    ['getSymbolInfo', (adapter, signal) => adapter.getSymbolInfo(CONTRACT_SYMBOL, { signal })],
    ['getFuturesPosition', (adapter, signal) => adapter.getFuturesPosition(CONTRACT_SYMBOL, 'long', { signal })],
  ];
}

/** The reason a test aborts with, so the error's cause can be checked to be it. */
const abortReason = (): Error => new Error('the caller stopped waiting');

/**
 * An initialized adapter over a new account whose calls, given `signal`, are aborted at the first
 * wait that begins after one of the account's requests met the simulator fault `fault`.
 */
async function abortingAfter<Registry>(ctx: ContractContext<Registry>, fault: string, overrides: Partial<ContractAdapterOptions<Registry>> = {}) {
  const account = ctx.createAccount();
  const controller = new AbortController();
  const reason = abortReason();
  const met = (): boolean => ctx.requests(account.apiKey).some((entry) => entry.fault === fault);
  const clock = new AbortingClock(ctx.clock, controller, reason, met, () => ctx.requests(account.apiKey).length);
  const adapter = ctx.createAdapter(account, { ...overrides, clock });
  await adapter.initialize();
  const expectNothingSentAfterAbort = (): void => {
    expect(clock.requestsAtAbort, 'the abort fired').toBeDefined();
    expect(ctx.requests(account.apiKey).length, 'requests after the abort').toBe(clock.requestsAtAbort);
  };
  return { account, adapter, signal: controller.signal, reason, expectNothingSentAfterAbort };
}

export function describeAborts<Registry>(ctx: ContractContext<Registry>): void {
  describe('aborts', () => {
    ctx.test('with an already-aborted signal every method throws OperationAbortedError and sends nothing, initialized or not', async () => {
      const reason = abortReason();
      const controller = new AbortController();
      controller.abort(reason);
      const { account } = await ctx.setup({ positionMode: 'oneway' }, { positionMode: 'oneway' });
      const initialized = ctx.createAdapter(account, { positionMode: 'oneway' });
      await initialized.initialize();

      for (const [name, call] of everyMethod(ctx)) {
        for (const adapter of [initialized, ctx.createAdapter(account, { positionMode: 'oneway', ...ctx.separateRegistry() })]) {
          const error = await expectRefusedWithoutRequests(ctx, OperationAbortedError, () => call(adapter, controller.signal));
          expect((error as Error).cause, `${name}: the abort reason is the cause`).toBe(reason);
        }
      }
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
    });

    for (const market of ['spot', 'futures'] as const) ctx.test(`${market}: an abort while an executed order is being looked up is OrderStatusUnknownError with its client order id, and nothing more is sent`, async () => {
      // The order executes and its answer is lost; the venue's order query lags, so lookups miss it
      // and the adapter waits between them: the abort comes during that wait.
      const { account, adapter, signal, reason, expectNothingSentAfterAbort } = await abortingAfter(ctx, 'commitThenFail', { positionMode: 'oneway' });
      const clientOrderId = `abortlookup${market}1`;
      ctx.sim.faults.add({ kind: 'commitThenFail', exchange: ctx.name, apiKey: account.apiKey, count: 1 });
      ctx.sim.faults.add({ kind: 'queryLag', exchange: ctx.name, apiKey: account.apiKey, ms: 600_000 });

      const placing =
        market === 'spot'
          ? adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'), { clientOrderId, signal })
          : adapter.executeFuturesLong(CONTRACT_SYMBOL, ctx.orderQuantity('futures'), 5, { clientOrderId, signal });
      const error = await expectRejection(placing, OrderStatusUnknownError);

      expect(error).toMatchObject({ clientOrderId, exchange: ctx.name });
      expect((error as Error).cause).toBe(reason);
      expect(ledgerOrders(ctx, account.apiKey).map((order) => order.clientOrderId), 'the order did execute').toEqual([clientOrderId]);
      expectNothingSentAfterAbort();
    });

    ctx.test('an abort while an order refused for rate waits to be sent again is OperationAbortedError: nothing executed, nothing more sent', async () => {
      const { account, adapter, signal, reason, expectNothingSentAfterAbort } = await abortingAfter(ctx, 'rateLimit');
      ctx.sim.faults.add({ kind: 'rateLimit', exchange: ctx.name, apiKey: account.apiKey, count: 1, ms: 3_000 });

      const error = await expectRejection(adapter.executeSpotSell(CONTRACT_SYMBOL, new Decimal('0.01'), { signal }), OperationAbortedError);

      expect((error as Error).cause).toBe(reason);
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
      expectNothingSentAfterAbort();
    });

    ctx.test('an abort while a read backs off after a 5xx is OperationAbortedError, and the read is not sent again', async () => {
      const { account, adapter, signal, reason, expectNothingSentAfterAbort } = await abortingAfter(ctx, 'error5xx');
      ctx.sim.faults.add({ kind: 'error5xx', exchange: ctx.name, apiKey: account.apiKey, count: 1 });

      const error = await expectRejection(adapter.getBalances({ signal }), OperationAbortedError);

      expect((error as Error).cause).toBe(reason);
      expectNothingSentAfterAbort();
    });
  });
}
