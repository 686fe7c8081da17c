import { BadRequest, OrderNotFound } from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, useSimulator } from '../../test-support';
import { bitgetClient, expectCcxtError, idOf, type BitgetClient } from '../../test-support/bitget-venue';
import type { Simulator } from '../../start-simulator';

const BTC_PERP = 'BTC/USDT:USDT';
const DAY = 24 * 60 * 60 * 1000;

/**
 * Bitget's clientOid and order visibility through unmodified ccxt: the id's format under both
 * readings, uniqueness among pending orders only, the spot lookup by clientOid that finds only
 * unfilled orders (current page) or any (earlier revision), and the 90-day history lists.
 */
describe('bitget clientOid and order visibility through ccxt', () => {
  const sim = useSimulator();
  const lenient = useSimulator({ rules: { bitgetClientOidFormat: 'errorCodes', bitgetSpotClientOidLookup: 'any' } });

  afterEach(() => {
    sim().clock.skew(0);
  });

  function ready(simulator: Simulator, account: SimAccount): Promise<BitgetClient> {
    return bitgetClient(simulator, account, { options: { adjustForTimeDifference: true } });
  }

  const ledgerOf = (simulator: Simulator, account: SimAccount) => simulator.ledger.orders({ venue: 'bitget', apiKey: account.apiKey });

  describe('clientOid format', () => {
    it.each([
      ['33 characters', 'a'.repeat(33)],
      ['a dot', 'has.dot'],
      ['a slash', 'has/slash'],
    ])('the Best Practices pattern (default) refuses %s with 40305 (ccxt BadRequest), nothing executed', async (_what, id) => {
      const account = createAccount(sim(), 'bitget');
      const client = await ready(sim(), account);
      await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: id }), BadRequest, '40305');
      await expectCcxtError(client.createOrder('BTC/USDT', 'market', 'sell', 0.001, undefined, { clientOrderId: id }), BadRequest, '40305');
      expect(ledgerOf(sim(), account)).toEqual([]);
    });

    it('the Best Practices pattern accepts 32 of letters, digits and _:#+-', async () => {
      const account = createAccount(sim(), 'bitget');
      const client = await ready(sim(), account);
      const id = `aZ09_:#+-${'x'.repeat(23)}`;
      await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: id });
      expect(ledgerOf(sim(), account).map((order) => order.clientOrderId)).toEqual([id]);
    });

    it('the error-code reading (rule bitgetClientOidFormat "errorCodes") accepts 64 characters with dots, refuses 65', async () => {
      const account = createAccount(lenient(), 'bitget');
      const client = await ready(lenient(), account);
      const id = `dots.and/slashes@${'x'.repeat(47)}`;
      await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: id });
      await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: `${id}x` }), BadRequest, '40305');
      expect(ledgerOf(lenient(), account).map((order) => order.clientOrderId)).toEqual([id]);
    });
  });

  it('futures: a reused clientOid places a second order; the detail by clientOid answers the newer one', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await ready(sim(), account);
    const first = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'twice' });
    const second = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'twice' });
    expect(idOf(second)).not.toBe(idOf(first));
    expect(ledgerOf(sim(), account)).toHaveLength(2);
    expect((await client.fetchOrder('', BTC_PERP, { clientOrderId: 'twice' })).id).toBe(idOf(second));
  });

  it('spot orderInfo by clientOid does not find a filled order by default (43001); by orderId it does', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await ready(sim(), account);
    const order = await client.createOrder('BTC/USDT', 'market', 'sell', 0.001, undefined, { clientOrderId: 'filled-spot' });
    await expectCcxtError(client.fetchOrder('', 'BTC/USDT', { clientOrderId: 'filled-spot' }), OrderNotFound, '43001');
    expect((await client.fetchOrder(idOf(order), 'BTC/USDT')).clientOrderId).toBe('filled-spot');
  });

  it('with the rule bitgetSpotClientOidLookup "any", spot orderInfo finds a filled order by clientOid', async () => {
    const account = createAccount(lenient(), 'bitget');
    const client = await ready(lenient(), account);
    const order = await client.createOrder('BTC/USDT', 'market', 'sell', 0.001, undefined, { clientOrderId: 'filled-spot' });
    expect((await client.fetchOrder('', 'BTC/USDT', { clientOrderId: 'filled-spot' })).id).toBe(idOf(order));
  });

  it('no order is ever open: fetchOpenOrders lists none on spot or futures', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await ready(sim(), account);
    await client.createOrder('BTC/USDT', 'market', 'sell', 0.001);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    expect(await client.fetchOpenOrders('BTC/USDT')).toEqual([]);
    expect(await client.fetchOpenOrders(BTC_PERP)).toEqual([]);
  });

  it('the history lists hold filled orders for 90 days; futures history takes a clientOid', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await ready(sim(), account);
    const spot = await client.createOrder('BTC/USDT', 'market', 'sell', 0.001, undefined, { clientOrderId: 'spot-h' });
    const perp1 = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'perp-h1' });
    const perp2 = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'perp-h2' });
    expect((await client.fetchClosedOrders('BTC/USDT')).map((order) => [order.id, order.clientOrderId, order.status])).toEqual([
      [idOf(spot), 'spot-h', 'closed'],
    ]);
    // ccxt sorts what it parses oldest first.
    expect((await client.fetchClosedOrders(BTC_PERP)).map((order) => order.id)).toEqual([idOf(perp1), idOf(perp2)]);
    expect((await client.fetchClosedOrders(BTC_PERP, undefined, undefined, { clientOid: 'perp-h1' })).map((order) => order.id)).toEqual([idOf(perp1)]);
    sim().clock.skew(91 * DAY);
    await client.loadTimeDifference();
    expect(await client.fetchClosedOrders('BTC/USDT')).toEqual([]);
    expect(await client.fetchClosedOrders(BTC_PERP)).toEqual([]);
  });
});
