import ccxt, { BadRequest, BadSymbol, ExchangeError, InsufficientFunds, InvalidOrder, OrderNotFound } from 'ccxt';
import { beforeEach, describe, expect, it } from 'vitest';
import { EngineError, type EngineErrorCode, type Market } from '../../contract';
import type { SimAccount } from '../../engine-account';
import { createAccount, useSimulator } from '../../test-support';
import { bitgetFail, engineErrorAnswer } from './errors';
import { bitgetClient, expectCcxtError, idOf, type BitgetClient } from '../../test-support/bitget-venue';

const BTC_PERP = 'BTC/USDT:USDT';

/** A futures order as Bitget's place-order takes it, for sizes ccxt would round before sending. */
function rawFuturesOrder(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    symbol: 'BTCUSDT',
    productType: 'USDT-FUTURES',
    marginMode: 'crossed',
    marginCoin: 'USDT',
    side: 'buy',
    orderType: 'market',
    size: '0.01',
    ...overrides,
  };
}

describe('bitget refusals raise the ccxt class of the real code', () => {
  const sim = useSimulator();
  let account: SimAccount;
  let client: BitgetClient;

  beforeEach(async () => {
    sim().prices.set('BTCUSDT', '65000', 'bitget');
    account = createAccount(sim(), 'bitget');
    client = await bitgetClient(sim(), account);
  });

  const ledger = () => sim().ledger.orders({ venue: 'bitget', apiKey: account.apiKey });
  const poorClient = async (overrides: Parameters<typeof createAccount>[2]) => bitgetClient(sim(), createAccount(sim(), 'bitget', overrides));

  it('insufficient spot balance is 43012 → InsufficientFunds, and nothing executes', async () => {
    const poor = await poorClient({ balances: { USDT: '10' } });
    await expectCcxtError(poor.createOrder('BTC/USDT', 'market', 'buy', 0.01, 65000), InsufficientFunds, '43012');
    await expectCcxtError(poor.createOrder('BTC/USDT', 'market', 'sell', 0.01), InsufficientFunds, '43012');
    expect(sim().ledger.orders({ apiKey: poor.apiKey })).toHaveLength(0);
  });

  it('insufficient futures margin is 40762 → InsufficientFunds', async () => {
    const poor = await poorClient({ futuresBalances: { USDT: '10' } });
    await expectCcxtError(poor.createOrder(BTC_PERP, 'market', 'buy', 0.01), InsufficientFunds, '40762');
    expect(sim().positions('bitget', poor.apiKey)).toHaveLength(0);
  });

  it('a size with more decimals than the step is 40808 (checkBDScale) → InvalidOrder, on both markets', async () => {
    const error = await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ size: '0.00015' })), InvalidOrder, '40808');
    expect(error.message).toContain('checkBDScale error value=0.00015 checkScale=4');
    await expectCcxtError(
      client.privateSpotPostV2SpotTradePlaceOrder({ symbol: 'BTCUSDT', side: 'sell', orderType: 'market', size: '0.0000015' }),
      InvalidOrder,
      '40808',
    );
    // Below the 0.0001 minimum is below the step too, and refused the same way.
    await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ size: '0.00001' })), InvalidOrder, '40808');
    expect(ledger()).toHaveLength(0);
  });

  it('an order worth less than the minimum is 45110 → InvalidOrder', async () => {
    sim().prices.set('BTCUSDT', '30000', 'bitget');
    const error = await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.0001), InvalidOrder, '45110');
    expect(error.message).toContain('less than the minimum amount 5 USDT');
    await expectCcxtError(client.createOrder('BTC/USDT', 'market', 'sell', 0.00002), InvalidOrder, '45110');
    await expectCcxtError(client.createMarketBuyOrderWithCost('BTC/USDT', 0.5), InvalidOrder, '45110');
    expect(ledger()).toHaveLength(0);
  });

  it('leverage above the symbol maximum is 40797, which ccxt raises as a plain ExchangeError', async () => {
    await expectCcxtError(client.setLeverage(126, BTC_PERP), ExchangeError, '40797');
    expect(sim().engine.leverage(account, 'BTCUSDT', 'both')).toBe(20);
    await expectCcxtError(client.setLeverage(0, BTC_PERP), BadRequest, '40017');
  });

  it('an unknown symbol is BadSymbol: ccxt refuses it itself, the venue answers 40309 to a raw request', async () => {
    await expectCcxtError(client.createOrder('FOO/USDT:USDT', 'market', 'buy', 1), BadSymbol);
    await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ symbol: 'FOOUSDT' })), BadSymbol, '40309');
    await expectCcxtError(client.privateSpotPostV2SpotTradePlaceOrder({ symbol: 'FOOUSDT', side: 'sell', orderType: 'market', size: '1' }), BadSymbol, '40309');
  });

  it('reduce-only without a position is 22002 "No position to close", in one-way and in hedge mode', async () => {
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true }), ExchangeError, '22002');
    await client.setPositionMode(true);
    await expectCcxtError(
      client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { hedged: true, reduceOnly: true }),
      ExchangeError,
      '22002',
    );
    expect(ledger()).toHaveLength(0);
  });

  it('a clientOid is checked against pending orders only: the id of a filled order places a new order', async () => {
    // 40786 (futures) and 43118 (spot) answer a clientOid held by a pending order, which no order here stays.
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'dup-1' });
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'dup-1' });
    await client.createOrder('BTC/USDT', 'market', 'sell', 0.001, undefined, { clientOrderId: 'dup-2' });
    await client.createOrder('BTC/USDT', 'market', 'sell', 0.001, undefined, { clientOrderId: 'dup-2' });
    expect(ledger().map((order) => order.clientOrderId)).toEqual(['dup-1', 'dup-1', 'dup-2', 'dup-2']);
  });

  it('an unknown order is 40109 on futures and 43001 on spot → OrderNotFound; a malformed id is 40020 → BadRequest', async () => {
    await expectCcxtError(client.fetchOrder('123456789', BTC_PERP), OrderNotFound, '40109');
    await expectCcxtError(client.fetchOrder('', BTC_PERP, { clientOrderId: 'never-sent' }), OrderNotFound, '40109');
    await expectCcxtError(client.fetchOrder('123456789', 'BTC/USDT'), OrderNotFound, '43001');
    await expectCcxtError(client.fetchOrder('not-a-number', BTC_PERP), BadRequest, '40020');
    // A futures order is not found through the spot endpoint, nor under another symbol.
    const order = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    await expectCcxtError(client.fetchOrder(idOf(order), 'BTC/USDT'), OrderNotFound, '43001');
    await expectCcxtError(client.fetchOrder(idOf(order), 'ETH/USDT:USDT'), OrderNotFound, '40109');
  });

  it('an order of the other position mode shape is 40774 → InvalidOrder', async () => {
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { hedged: true }), InvalidOrder, '40774');
    await client.setPositionMode(true);
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01), InvalidOrder, '40774');
    expect(ledger()).toHaveLength(0);
  });

  it('switching position mode with a position open is 40920, and the mode stays', async () => {
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    await expectCcxtError(client.setPositionMode(true), ExchangeError, '40920');
    expect(sim().accounts.get('bitget', account.apiKey)?.positionMode).toBe('oneway');
  });

  it('missing or garbage parameters and limit orders are Bitget parameter errors → BadRequest', async () => {
    await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ size: '' })), BadRequest, '40019');
    await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ size: '-1' })), BadRequest, '40020');
    await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ side: 'sideways' })), BadRequest, '40020');
    await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ productType: 'MOON-FUTURES' })), BadRequest, '40020');
    await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ marginCoin: 'BTC' })), BadRequest, '40020');
    await expectCcxtError(client.privateMixPostV2MixOrderPlaceOrder(rawFuturesOrder({ clientOid: 'x'.repeat(65) })), BadRequest, '40305');
    await expectCcxtError(client.createOrder(BTC_PERP, 'limit', 'buy', 0.01, 60000), BadRequest, '40017');
    expect(ledger()).toHaveLength(0);
  });
});

describe('engineErrorAnswer', () => {
  /** What ccxt 4.5.84's bitget.handleErrors raises for a body, without any network in between. */
  function ccxtClassFor(code: string, msg: string): string {
    const exchange = new ccxt.bitget();
    const response = bitgetFail(0, code, msg);
    const body = JSON.stringify(response.body);
    try {
      exchange.handleErrors(response.status, '', 'http://sim/bitget', 'POST', {}, body, response.body, {}, '');
    } catch (error) {
      return (error as Error).constructor.name;
    }
    return 'none';
  }

  const table: readonly (readonly [EngineErrorCode, Market, string, string])[] = [
    ['UNKNOWN_SYMBOL', 'futures', '40309', 'BadSymbol'],
    ['UNKNOWN_SYMBOL', 'spot', '40309', 'BadSymbol'],
    ['INSUFFICIENT_BALANCE', 'futures', '40762', 'InsufficientFunds'],
    ['INSUFFICIENT_BALANCE', 'spot', '43012', 'InsufficientFunds'],
    ['QTY_STEP', 'futures', '40808', 'InvalidOrder'],
    ['QTY_BELOW_MIN', 'spot', '40808', 'InvalidOrder'],
    ['QTY_BELOW_MIN', 'futures', '45111', 'ExchangeError'],
    ['QTY_ABOVE_MAX', 'futures', '45112', 'ExchangeError'],
    ['QTY_ABOVE_MAX', 'spot', '43007', 'ExchangeError'],
    ['NOTIONAL_BELOW_MIN', 'futures', '45110', 'InvalidOrder'],
    ['NOTIONAL_BELOW_MIN', 'spot', '45110', 'InvalidOrder'],
    ['LEVERAGE_TOO_HIGH', 'futures', '40797', 'ExchangeError'],
    ['LEVERAGE_INVALID', 'futures', '40017', 'BadRequest'],
    ['POSITION_MODE_HAS_POSITIONS', 'futures', '40920', 'ExchangeError'],
    ['POSITION_SIDE_MISMATCH', 'futures', '40774', 'InvalidOrder'],
    ['REDUCE_ONLY_NO_POSITION', 'futures', '22002', 'ExchangeError'],
    ['REDUCE_ONLY_WOULD_INCREASE', 'futures', '22002', 'ExchangeError'],
    ['DUPLICATE_CLIENT_ORDER_ID', 'futures', '40786', 'ExchangeError'],
    ['DUPLICATE_CLIENT_ORDER_ID', 'spot', '43118', 'ExchangeError'],
    ['ORDER_NOT_FOUND', 'futures', '40109', 'OrderNotFound'],
    ['ORDER_NOT_FOUND', 'spot', '43001', 'OrderNotFound'],
    ['INVALID_PARAMETER', 'spot', '40017', 'BadRequest'],
  ];

  it.each(table)('%s on %s answers %s, which ccxt raises as %s', (engineCode, market, code, ccxtClass) => {
    const [answered, msg] = engineErrorAnswer(new EngineError(engineCode, 'refused'), market, '5');
    expect(answered).toBe(code);
    expect(ccxtClassFor(answered, msg)).toBe(ccxtClass);
  });
});
