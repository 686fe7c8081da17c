import { DDoSProtection, ExchangeNotAvailable, NetworkError, OrderNotFound, RequestTimeout } from 'ccxt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../../engine-clock';
import { createAccount, useSimulator } from '../../test-support';
import { bitgetClient, expectCcxtError, idOf } from '../../test-support/bitget-venue';

const BTC_PERP = 'BTC/USDT:USDT';

/**
 * Simulator time is a manual clock kept at wall-clock time (ccxt signs with the wall clock), so
 * rate-limit windows and withheld responses move only when a test says so.
 */
function alignedClock() {
  const clock = createManualClock(Date.now());
  return {
    clock,
    /** Brings the manual clock up to the wall clock, at the start of a fresh one-second window. */
    align: () => {
      const target = Math.max(Date.now(), clock.now());
      clock.advance(target - clock.now() + (1_000 - (target % 1_000)));
    },
  };
}

describe('bitget rate limits: per endpoint, per UID (private) or per IP (public), one-second windows', () => {
  const time = alignedClock();
  const markets = useSimulator();
  const sim = useSimulator({ clock: time.clock, budgets: { bitgetRequestsPerSecond: 3 } });

  beforeEach(() => {
    time.align();
  });

  it('the fourth order in a second is 429 → DDoSProtection with Retry-After; other endpoints and other UIDs are not affected', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await bitgetClient(sim(), account, {}, markets());
    for (let i = 0; i < 3; i++) await client.createOrder(BTC_PERP, 'market', 'buy', 0.001);
    expect(client.last_response_headers).toMatchObject({ 'X-Mbx-Used-Remain-Limit': '0' });

    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.001), DDoSProtection, '429');
    expect(client.last_response_headers).toMatchObject({ 'Retry-After': '1' });
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(3);
    expect(sim().requests({ apiKey: account.apiKey }).at(-1)?.status).toBe(429);

    // Bitget's budgets do not pool: order queries and another account's orders still pass.
    const [first] = sim().ledger.orders({ apiKey: account.apiKey });
    await expect(client.fetchOrder(first?.orderId ?? '', BTC_PERP)).resolves.toMatchObject({ status: 'closed' });
    const other = await bitgetClient(sim(), createAccount(sim(), 'bitget'), {}, markets());
    await expect(other.createOrder(BTC_PERP, 'market', 'buy', 0.001)).resolves.toHaveProperty('id');

    time.clock.advance(1_000);
    await expect(client.createOrder(BTC_PERP, 'market', 'buy', 0.001)).resolves.toHaveProperty('id');
  });

  it('a public endpoint counts per IP', async () => {
    const client = await bitgetClient(sim(), undefined, {}, markets());
    for (let i = 0; i < 3; i++) await client.fetchTime();
    await expectCcxtError(client.fetchTime(), DDoSProtection, '429');
    await expect(client.fetchTicker('BTC/USDT')).resolves.toHaveProperty('last');
  });
});

describe('bitget under injected faults', () => {
  const time = alignedClock();
  const sim = useSimulator({ clock: time.clock });

  beforeEach(() => {
    time.align();
  });
  afterEach(() => {
    sim().faults.clear();
  });

  /** A client past its first private call, which sends ccxt's one-off unified-account probe. */
  const trader = async () => {
    const account = createAccount(sim(), 'bitget');
    const client = await bitgetClient(sim(), account);
    await client.fetchBalance();
    return { account, client };
  };

  it('commitThenFail executes the order, answers the gateway 504 (RequestTimeout), and the order is found by clientOid', async () => {
    const { account, client } = await trader();
    sim().faults.add({ kind: 'commitThenFail', exchange: 'bitget', path: '/mix/order/place-order', count: 1 });
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lost-1' }), RequestTimeout);

    const ledger = sim().ledger.orders({ apiKey: account.apiKey });
    expect(ledger.map((order) => order.clientOrderId)).toEqual(['lost-1']);
    const found = await client.fetchOrder('', BTC_PERP, { clientOrderId: 'lost-1' });
    expect(found).toMatchObject({ id: ledger[0]?.orderId, status: 'closed', filled: 0.01 });
  });

  it('commitThenFail by connection reset also leaves the order executed', async () => {
    const { account, client } = await trader();
    sim().faults.add({ kind: 'commitThenFail', exchange: 'bitget', mode: 'reset', count: 1 });
    const error = await client.createOrder('BTC/USDT', 'market', 'sell', 0.001).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(1);
  });

  it('queryLag hides a new order from queries (40109 → OrderNotFound) until the lag has passed', async () => {
    const { client } = await trader();
    const order = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    sim().faults.add({ kind: 'queryLag', exchange: 'bitget', ms: 2_000 });
    await expectCcxtError(client.fetchOrder(idOf(order), BTC_PERP), OrderNotFound, '40109');
    time.clock.advance(2_001);
    await expect(client.fetchOrder(idOf(order), BTC_PERP)).resolves.toMatchObject({ id: order.id, status: 'closed' });
  });

  it('error5xx answers the gateway 502 → ExchangeNotAvailable; rateLimit answers 429 → DDoSProtection', async () => {
    const { client } = await trader();
    sim().faults.add({ kind: 'error5xx', exchange: 'bitget', count: 1 });
    await expectCcxtError(client.fetchBalance(), ExchangeNotAvailable);
    sim().faults.add({ kind: 'rateLimit', exchange: 'bitget', count: 1, ms: 3_000 });
    await expectCcxtError(client.fetchBalance(), DDoSProtection, '429');
    expect(client.last_response_headers).toMatchObject({ 'Retry-After': '3' });
    await expect(client.fetchBalance()).resolves.toHaveProperty('USDT');
  });

  it('a withheld response times the client out (RequestTimeout); a reset is a NetworkError; a cut body passes ccxt silently', async () => {
    const { client } = await trader();
    sim().faults.add({ kind: 'timeout', exchange: 'bitget', count: 1, ms: 10_000 });
    // Only the withheld request runs on a short timeout, so a loaded machine cannot fail the others.
    client.timeout = 300;
    await expectCcxtError(client.fetchBalance(), RequestTimeout);
    client.timeout = 10_000;
    sim().faults.add({ kind: 'reset', exchange: 'bitget', count: 1 });
    const reset = await client.fetchBalance().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(reset).toBeInstanceOf(NetworkError);
    // ccxt's bitget reads an unparseable 200 as an empty envelope: the balance comes back empty,
    // not as an error, which is the trap an adapter has to check for itself.
    sim().faults.add({ kind: 'malformed', exchange: 'bitget', count: 1 });
    const malformed = await client.fetchBalance();
    expect(malformed.USDT).toBeUndefined();
    expect((await client.fetchBalance()).USDT?.total).toBe(10000);
  });

  it('latency holds the answer until simulator time has passed', async () => {
    const { client } = await trader();
    sim().faults.add({ kind: 'latency', exchange: 'bitget', ms: 500, count: 1 });
    let settled = false;
    const pending = client.fetchBalance().finally(() => {
      settled = true;
    });
    await vi.waitFor(() => {
      expect(time.clock.pending()).toBe(1);
    });
    time.clock.advance(499);
    expect(settled).toBe(false);
    expect(time.clock.pending()).toBe(1);
    time.clock.advance(1);
    await expect(pending).resolves.toHaveProperty('USDT');
  });
});
