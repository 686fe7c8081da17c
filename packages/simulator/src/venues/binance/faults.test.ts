import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, createCcxtClient, errorAfterClientTimeout, errorOf, useSimulator, type CcxtClient } from '../../test-support';
import { expectRefusal, idOf } from '../../test-support/binance-venue';

/**
 * Every fault kind as a ccxt Binance client meets it, and what the simulator's ledger says happened.
 * Commit-then-fail and query lag are the two that make a naive client buy twice.
 */
describe('binance faults through ccxt', () => {
  const sim = useSimulator();

  afterEach(() => {
    sim().faults.clear();
  });

  async function ready(account: SimAccount, overrides: Record<string, unknown> = {}): Promise<CcxtClient> {
    const client = createCcxtClient('binance', sim(), account, overrides);
    await client.loadMarkets();
    return client;
  }

  function ledgerOf(account: SimAccount): readonly { readonly clientOrderId: string }[] {
    return sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey });
  }

  describe('commit-then-fail: the order is executed and in the ledger, the answer is lost', () => {
    it('as -1007 "send status unknown" (HTTP 408, ccxt RequestTimeout); a query by client id finds it', async () => {
      const account = createAccount(sim(), 'binance');
      const client = await ready(account);
      sim().faults.add({ kind: 'commitThenFail', exchange: 'binance', apiKey: account.apiKey, path: '/fapi/v1/order', count: 1 });
      const error = await expectRefusal(
        client,
        client.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'lost-ack' }),
        ccxt.RequestTimeout,
        -1007,
      );
      expect(error.message).toContain('Send status unknown; execution status unknown.');
      expect(ledgerOf(account)).toMatchObject([{ clientOrderId: 'lost-ack', status: 'filled' }]);
      expect(sim().positions('binance', account.apiKey)[0]?.size.toFixed()).toBe('0.1');
      const found = await client.fetchOrder('', 'ETH/USDT:USDT', { origClientOrderId: 'lost-ack' });
      expect(found).toMatchObject({ clientOrderId: 'lost-ack', status: 'closed', filled: 0.1 });
    });

    it('as a connection reset (ccxt NetworkError)', async () => {
      const account = createAccount(sim(), 'binance');
      const client = await ready(account);
      sim().faults.add({ kind: 'commitThenFail', mode: 'reset', exchange: 'binance', apiKey: account.apiKey, count: 1 });
      const error = await errorOf(client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'reset-ack' }));
      expect(error).toBeInstanceOf(ccxt.NetworkError);
      expect(ledgerOf(account)).toMatchObject([{ clientOrderId: 'reset-ack' }]);
      // A filled order no longer holds its client id: a blind resend with the same id buys again.
      // Only a lookup by client id (which finds the first) tells the client not to resend.
      expect((await client.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'reset-ack' })).status).toBe('closed');
      await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'reset-ack' });
      expect(ledgerOf(account).map((order) => order.clientOrderId)).toEqual(['reset-ack', 'reset-ack']);
    });

    it('as a response withheld past the client timeout (ccxt RequestTimeout)', async () => {
      const account = createAccount(sim(), 'binance');
      // Markets load with ccxt's own 10 s timeout; only the order runs against the short one.
      const client = await ready(account);
      // Withheld until the server closes: the client's timeout is what ends the wait.
      sim().faults.add({ kind: 'commitThenFail', mode: 'timeout', ms: 3_600_000, exchange: 'binance', apiKey: account.apiKey, count: 1 });
      const error = await errorAfterClientTimeout(
        client,
        () => client.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.002, undefined, { clientOrderId: 'slow-ack' }),
        () => ledgerOf(account).length > 0,
        'the order to execute',
      );
      expect(error).toBeInstanceOf(ccxt.RequestTimeout);
      expect(ledgerOf(account)).toMatchObject([{ clientOrderId: 'slow-ack' }]);
    });
  });

  it('query lag: a fresh order "does not exist" (-2013, OrderNotFound) while the lag lasts', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(account);
    const placed = await client.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'lagging' });
    sim().faults.add({ kind: 'queryLag', exchange: 'binance', apiKey: account.apiKey, ms: 60_000 });
    await expectRefusal(client, client.fetchOrder(idOf(placed), 'BTC/USDT'), ccxt.OrderNotFound, -2013);
    await expectRefusal(client, client.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'lagging' }), ccxt.OrderNotFound, -2013);
    sim().faults.clear();
    expect((await client.fetchOrder(idOf(placed), 'BTC/USDT')).status).toBe('closed');
  });

  it('error5xx → HTTP 500 -1001 (ccxt OperationFailed), nothing executed', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(account);
    sim().faults.add({ kind: 'error5xx', exchange: 'binance', path: '/api/v3/order', apiKey: account.apiKey, count: 1 });
    await expectRefusal(client, client.createOrder('BTC/USDT', 'market', 'buy', 0.001), ccxt.OperationFailed, -1001);
    expect(ledgerOf(account)).toEqual([]);
  });

  it('rateLimit → HTTP 429 -1003 with Retry-After (ccxt DDoSProtection)', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(account);
    sim().faults.add({ kind: 'rateLimit', exchange: 'binance', apiKey: account.apiKey, count: 1, ms: 7_000 });
    const error = await expectRefusal(client, client.fetchBalance(), ccxt.DDoSProtection, -1003);
    expect(error.message).toContain('binance 429');
    expect(client.last_response_headers?.['Retry-After']).toBe('7');
  });

  it('reset → the connection drops before any answer (ccxt NetworkError)', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(account);
    sim().faults.add({ kind: 'reset', exchange: 'binance', path: '/api/v3/order', count: 1 });
    expect(await errorOf(client.createOrder('BTC/USDT', 'market', 'buy', 0.001))).toBeInstanceOf(ccxt.NetworkError);
    expect(ledgerOf(account)).toEqual([]);
  });

  it('timeout → no answer within the client timeout (ccxt RequestTimeout), nothing executed', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(account);
    sim().faults.add({ kind: 'timeout', exchange: 'binance', path: '/api/v3/order', ms: 3_600_000, count: 1 });
    const withheld = (): boolean => sim().requests({ exchange: 'binance', apiKey: account.apiKey }).some((entry) => entry.fault === 'timeout');
    const error = await errorAfterClientTimeout(client, () => client.createOrder('BTC/USDT', 'market', 'buy', 0.001), withheld, 'the order to be withheld');
    expect(error).toBeInstanceOf(ccxt.RequestTimeout);
    expect(ledgerOf(account)).toEqual([]);
  });

  it('latency → the answer arrives late but whole', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(account);
    sim().faults.add({ kind: 'latency', exchange: 'binance', path: '/api/v3/order', ms: 150, count: 1 });
    const started = Date.now();
    const order = await client.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(order.status).toBe('closed');
    expect(ledgerOf(account)).toHaveLength(1);
  });

  it('malformed → ccxt does not raise a ccxt error: an empty balance, a TypeError from createOrder', async () => {
    const account = createAccount(sim(), 'binance');
    const client = await ready(account);
    sim().faults.add({ kind: 'malformed', exchange: 'binance', path: '/api/v3/account', count: 1 });
    // ccxt keeps the unparsable text as `info` and parses no asset from it: a caller must not read
    // this as an empty wallet.
    const balance = await client.fetchBalance();
    expect(typeof balance.info).toBe('string');
    expect(balance.total).toEqual({});
    sim().faults.add({ kind: 'malformed', exchange: 'binance', path: '/api/v3/order', count: 1 });
    const error = await errorOf(client.createOrder('BTC/USDT', 'market', 'buy', 0.001));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(ccxt.BaseError);
    expect(ledgerOf(account)).toEqual([]);
  });
});
