import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { createAccount, useSimulator } from './test-support';
import { asBitget, expectCcxtError as expectBitgetError } from './test-support/bitget-venue';
import { BTC_SPOT, bybitClient, expectCcxtError as expectBybitError, idOf } from './test-support/bybit-venue';
import { createCcxtClient } from './test-support/ccxt-client';

/**
 * The refusals no venue suite reaches on its way: each code the simulator can send is pinned by a
 * test (FIDELITY.md, "Every code the simulator sends"), and these are the ones that had none.
 */
describe('codes pinned nowhere else', () => {
  const sim = useSimulator();

  it('Bybit spot: quantity above the market-order maximum is 170135 (InvalidOrder)', async () => {
    const account = createAccount(sim(), 'bybit', { balances: { USDT: '10000', BTC: '100' } });
    const client = bybitClient(sim(), account);
    const order = { category: 'spot', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Market', qty: '80', marketUnit: 'baseCoin' };
    await expectBybitError(client.privatePostV5OrderCreate(order), ccxt.InvalidOrder, 170135);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
  });

  it('Bybit spot: cancelling a filled order is 170139 (InvalidOrder), an unknown one 170213 (OrderNotFound)', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    const order = await client.createOrder(BTC_SPOT, 'market', 'sell', 0.01);
    await expectBybitError(client.cancelOrder(idOf(order), BTC_SPOT), ccxt.InvalidOrder, 170139);
    await expectBybitError(client.cancelOrder('999', BTC_SPOT), ccxt.OrderNotFound, 170213);
  });

  it('Bitget: the unified-account probe is 40084 on a classic account (a plain ExchangeError)', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = asBitget(createCcxtClient('bitget', sim(), account));
    await expectBitgetError(client.privateUtaGetV3AccountSettings({}), ccxt.ExchangeError, '40084');
  });
});
