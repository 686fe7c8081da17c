import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { EngineError, type EngineErrorCode, type PlaceOrderRequest } from './contract';
import { SimEngine } from './engine';
import type { CreateAccountInput } from './engine-account';
import { createManualClock } from './engine-clock';
import { fakeVenue } from './test-support/fake-venue';

const d = (value: Decimal.Value): Decimal => new Decimal(value);

function setup(options: { slippage?: string; account?: Partial<CreateAccountInput> } = {}) {
  const clock = createManualClock(1_700_000_000_000);
  const engine = new SimEngine({
    venues: [fakeVenue('binance'), fakeVenue('bybit')],
    seed: 7,
    clock,
    ...(options.slippage ? { slippage: options.slippage } : {}),
  });
  const account = engine.createAccount({
    venue: 'binance',
    balances: { USDT: '10000', BTC: '1' },
    futuresBalances: { USDT: '10000' },
    ...options.account,
  });
  return { engine, clock, account };
}

function order(overrides: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest {
  return { market: 'futures', symbol: 'BTCUSDT', side: 'buy', quantity: d('0.01'), ...overrides };
}

function refusal(run: () => unknown): EngineErrorCode {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error.code;
    throw error;
  }
  throw new Error('expected an EngineError');
}

function wallet(engine: SimEngine, account: Parameters<SimEngine['balances']>[0], market: 'spot' | 'futures') {
  return Object.fromEntries(engine.balances(account, market).map((b) => [b.asset, { free: b.free.toFixed(), locked: b.locked.toFixed() }]));
}

describe('spot market orders', () => {
  it('buy spends the cost in quote and receives the quantity less the fee in base, and records the fill', () => {
    const { engine, account } = setup();
    const filled = engine.placeOrder(account, order({ market: 'spot', quantity: d('0.1'), clientOrderId: 'c-1' }));
    // 0.1 × 65000 = 6500 USDT spent; the 0.1 % fee is taken from the BTC received: 0.0001
    expect(wallet(engine, account, 'spot')).toEqual({ USDT: { free: '3500', locked: '0' }, BTC: { free: '1.0999', locked: '0' } });
    expect(filled).toMatchObject({ clientOrderId: 'c-1', symbol: 'BTCUSDT', market: 'spot', side: 'buy', status: 'filled', feeAsset: 'BTC' });
    expect([filled.quantity, filled.price, filled.cost, filled.fee].map((v) => v.toFixed())).toEqual(['0.1', '65000', '6500', '0.0001']);
    expect(filled.positionSide).toBeUndefined();
    expect(engine.orders({ apiKey: account.apiKey })).toEqual([filled]);
  });

  it('sell receives cost minus the fee, in quote', () => {
    const { engine, account } = setup();
    const filled = engine.placeOrder(account, order({ market: 'spot', side: 'sell', quantity: d('0.5') }));
    expect(wallet(engine, account, 'spot')).toEqual({ USDT: { free: '42467.5', locked: '0' }, BTC: { free: '0.5', locked: '0' } });
    expect(filled.feeAsset).toBe('USDT');
    expect(filled.fee.toFixed()).toBe('32.5');
  });

  it('refuses what the wallet cannot pay and changes nothing', () => {
    const { engine, account } = setup();
    // 0.154 × 65000 = 10010 > 10000
    expect(refusal(() => engine.placeOrder(account, order({ market: 'spot', quantity: d('0.154') })))).toBe('INSUFFICIENT_BALANCE');
    expect(refusal(() => engine.placeOrder(account, order({ market: 'spot', side: 'sell', quantity: d('1.001') })))).toBe('INSUFFICIENT_BALANCE');
    expect(wallet(engine, account, 'spot')).toEqual({ USDT: { free: '10000', locked: '0' }, BTC: { free: '1', locked: '0' } });
    expect(engine.orders()).toEqual([]);
  });

  it('fills a buy whose cost is the whole quote balance, since its fee comes out of the base received', () => {
    const { engine, account } = setup();
    engine.setPrice('BTCUSDT', '100000');
    const filled = engine.placeOrder(account, order({ market: 'spot', quantity: d('0.1') }));
    expect(wallet(engine, account, 'spot')).toEqual({ USDT: { free: '0', locked: '0' }, BTC: { free: '1.0999', locked: '0' } });
    expect(`${filled.fee.toFixed()} ${filled.feeAsset}`).toBe('0.0001 BTC');
  });
});

describe('order validation', () => {
  it.each([
    ['QTY_STEP', { quantity: d('0.0015') }],
    ['QTY_BELOW_MIN', { quantity: d('0.0005') }],
    ['QTY_ABOVE_MAX', { quantity: d('100.001') }],
    ['INVALID_PARAMETER', { quantity: d('0') }],
    ['INVALID_PARAMETER', { quantity: d('-1') }],
    ['UNKNOWN_SYMBOL', { symbol: 'NOPEUSDT' }],
    ['NOTIONAL_BELOW_MIN', { symbol: 'DOGEUSDT', quantity: d('33') }],
  ] as const)('%s for %o', (code, overrides) => {
    const { engine, account } = setup();
    expect(refusal(() => engine.placeOrder(account, order(overrides)))).toBe(code);
    expect(refusal(() => engine.placeOrder(account, order({ ...overrides, market: 'spot' })))).toBe(code);
  });

  it('accepts the exact minimum notional (34 DOGE × 0.15 = 5.1) and exact multiples of the step', () => {
    const { engine, account } = setup();
    expect(engine.placeOrder(account, order({ symbol: 'DOGEUSDT', quantity: d('34') })).quantity.toFixed()).toBe('34');
    expect(engine.placeOrder(account, order({ quantity: d('0.003') })).quantity.toFixed()).toBe('0.003');
  });

  it('refuses a client order id the account already used, but not one another account used', () => {
    const { engine, account } = setup();
    const other = engine.createAccount({ venue: 'binance', futuresBalances: { USDT: '1000' } });
    engine.placeOrder(account, order({ clientOrderId: 'same' }));
    expect(refusal(() => engine.placeOrder(account, order({ clientOrderId: 'same' })))).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect(engine.placeOrder(other, order({ clientOrderId: 'same' })).clientOrderId).toBe('same');
  });
});

describe('futures in one-way mode', () => {
  it('opens with margin = notional / leverage and the taker fee, then averages the entry on increase', () => {
    const { engine, account } = setup();
    engine.placeOrder(account, order({ quantity: d('0.1') }));
    // notional 6500, default leverage 20 → margin 325, fee 0.05 % = 3.25
    expect(wallet(engine, account, 'futures')).toEqual({ USDT: { free: '9671.75', locked: '325' } });
    engine.setPrice('BTCUSDT', '67000');
    engine.placeOrder(account, order({ quantity: d('0.1') }));
    const [position] = engine.positions(account);
    expect(position).toMatchObject({ symbol: 'BTCUSDT', side: 'both', leverage: 20 });
    expect([position?.size, position?.signedSize, position?.entryPrice, position?.margin, position?.unrealisedPnl].map((v) => v?.toFixed())).toEqual([
      '0.2',
      '0.2',
      '66000',
      '660',
      '200',
    ]);
  });

  it('an opposite order reduces with realised PnL and released margin, then flips with the remainder', () => {
    const { engine, account } = setup();
    engine.placeOrder(account, order({ quantity: d('0.1') }));
    engine.setPrice('BTCUSDT', '70000');
    const flip = engine.placeOrder(account, order({ side: 'sell', quantity: d('0.3') }));
    // closes 0.1 at +5000 × 0.1 = +500, opens 0.2 short: margin 0.2 × 70000 / 20 = 700; fee 0.3 × 70000 × 0.0005 = 10.5
    expect(flip.realisedPnl.toFixed()).toBe('500');
    expect(flip.fee.toFixed()).toBe('10.5');
    expect(flip.positionSide).toBe('both');
    expect(wallet(engine, account, 'futures')).toEqual({ USDT: { free: '9786.25', locked: '700' } });
    const [position] = engine.positions(account);
    expect(position?.signedSize.toFixed()).toBe('-0.2');
    expect(position?.entryPrice.toFixed()).toBe('70000');
    // closing the short at a lower price is a gain: (70000 - 60000) × 0.2 = 2000
    engine.setPrice('BTCUSDT', '60000');
    const close = engine.placeOrder(account, order({ side: 'buy', quantity: d('0.2'), reduceOnly: true }));
    expect(close.realisedPnl.toFixed()).toBe('2000');
    expect(engine.positions(account)).toEqual([]);
    expect(wallet(engine, account, 'futures')).toEqual({ USDT: { free: '12480.25', locked: '0' } });
  });

  it('books realised PnL and fees to the open position, and keeps each leg\'s all-time totals after it closes', () => {
    const { engine, account } = setup();
    // open 0.2 at 65000: fee 0.2 × 65000 × 0.0005 = 6.5
    engine.placeOrder(account, order({ quantity: d('0.2') }));
    engine.setPrice('BTCUSDT', '66000');
    // close half at +1000: +100 realised, fee 0.1 × 66000 × 0.0005 = 3.3
    engine.placeOrder(account, order({ side: 'sell', quantity: d('0.1'), reduceOnly: true }));
    const [position] = engine.positions(account);
    expect([position?.realisedPnl, position?.fees].map((v) => v?.toFixed())).toEqual(['100', '9.8']);
    // flip: 0.1 closes at +2000 (+200, fee 3.35), 0.1 opens short (fee 3.35, booked to the new position)
    engine.setPrice('BTCUSDT', '67000');
    engine.placeOrder(account, order({ side: 'sell', quantity: d('0.2') }));
    const [short] = engine.positions(account);
    expect([short?.signedSize, short?.realisedPnl, short?.fees].map((v) => v?.toFixed())).toEqual(['-0.1', '0', '3.35']);
    const history = engine.legHistory(account, 'BTCUSDT', 'both');
    expect([history.realisedPnl, history.fees].map((v) => v.toFixed())).toEqual(['300', '16.5']);
    engine.placeOrder(account, order({ side: 'buy', quantity: d('0.1'), reduceOnly: true }));
    expect(engine.positions(account)).toEqual([]);
    // closing the short at 67000 realises 0 and pays 3.35 more
    expect(engine.legHistory(account, 'BTCUSDT', 'both').fees.toFixed()).toBe('19.85');
    expect(engine.legHistory(account, 'ETHUSDT', 'both').realisedPnl.toFixed()).toBe('0');
  });

  it('reduce-only never opens, never increases, and is capped at the position', () => {
    const { engine, account } = setup();
    expect(refusal(() => engine.placeOrder(account, order({ side: 'sell', reduceOnly: true })))).toBe('REDUCE_ONLY_NO_POSITION');
    engine.placeOrder(account, order({ quantity: d('0.05') }));
    expect(refusal(() => engine.placeOrder(account, order({ side: 'buy', reduceOnly: true })))).toBe('REDUCE_ONLY_WOULD_INCREASE');
    const capped = engine.placeOrder(account, order({ side: 'sell', quantity: d('0.08'), reduceOnly: true }));
    expect(capped.quantity.toFixed()).toBe('0.05');
    expect(capped.reduceOnly).toBe(true);
    expect(engine.positions(account)).toEqual([]);
    expect(wallet(engine, account, 'futures').USDT?.locked).toBe('0');
  });

  it('refuses opening beyond the margin the wallet holds, but always lets a position close', () => {
    const { engine, account } = setup({ account: { futuresBalances: { USDT: '100' } } });
    // 0.03 × 65000 / 20 = 97.5 margin + 0.975 fee = 98.475 ≤ 100
    engine.placeOrder(account, order({ quantity: d('0.03') }));
    expect(refusal(() => engine.placeOrder(account, order({ quantity: d('0.001') })))).toBe('INSUFFICIENT_BALANCE');
    engine.setPrice('BTCUSDT', '62000');
    const close = engine.placeOrder(account, order({ side: 'sell', quantity: d('0.03'), reduceOnly: true }));
    expect(close.realisedPnl.toFixed()).toBe('-90');
    expect(wallet(engine, account, 'futures')).toEqual({ USDT: { free: '8.095', locked: '0' } });
  });

  it('refuses a hedge positionSide in one-way mode', () => {
    const { engine, account } = setup();
    expect(refusal(() => engine.placeOrder(account, order({ positionSide: 'long' })))).toBe('POSITION_SIDE_MISMATCH');
  });

  it('needs no minimum notional to close a small remainder', () => {
    const { engine, account } = setup();
    engine.placeOrder(account, order({ quantity: d('0.002') }));
    engine.setPrice('BTCUSDT', '2000');
    expect(engine.placeOrder(account, order({ side: 'sell', quantity: d('0.002'), reduceOnly: true })).cost.toFixed()).toBe('4');
  });
});

describe('futures in hedge mode', () => {
  it('keeps long and short legs apart; buy-long/sell-short open, sell-long/buy-short close', () => {
    const { engine, account } = setup({ account: { positionMode: 'hedge' } });
    expect(refusal(() => engine.placeOrder(account, order()))).toBe('POSITION_SIDE_MISMATCH');
    expect(refusal(() => engine.placeOrder(account, order({ positionSide: 'both' })))).toBe('POSITION_SIDE_MISMATCH');
    engine.placeOrder(account, order({ positionSide: 'long', quantity: d('0.1') }));
    engine.placeOrder(account, order({ side: 'sell', positionSide: 'short', quantity: d('0.2') }));
    const legs = engine.positions(account).map((p) => [p.side, p.signedSize.toFixed()]);
    expect(legs).toEqual([
      ['long', '0.1'],
      ['short', '-0.2'],
    ]);
    expect(refusal(() => engine.placeOrder(account, order({ positionSide: 'long', reduceOnly: true })))).toBe('REDUCE_ONLY_WOULD_INCREASE');
    engine.setPrice('BTCUSDT', '64000');
    const closeShort = engine.placeOrder(account, order({ side: 'buy', positionSide: 'short', quantity: d('0.2') }));
    expect(closeShort.realisedPnl.toFixed()).toBe('200');
    expect(closeShort.positionSide).toBe('short');
    expect(refusal(() => engine.placeOrder(account, order({ side: 'buy', positionSide: 'short' })))).toBe('REDUCE_ONLY_NO_POSITION');
    expect(engine.positions(account).map((p) => p.side)).toEqual(['long']);
  });
});

describe('leverage and position mode', () => {
  it('defaults to 20, validates 1..max per symbol, and reports an unchanged setting', () => {
    const { engine, account } = setup();
    expect(engine.leverage(account, 'BTCUSDT', 'both')).toBe(20);
    expect(refusal(() => { engine.setLeverage(account, 'BTCUSDT', 51); })).toBe('LEVERAGE_TOO_HIGH');
    expect(refusal(() => { engine.setLeverage(account, 'SOLUSDT', 26); })).toBe('LEVERAGE_TOO_HIGH');
    expect(refusal(() => { engine.setLeverage(account, 'BTCUSDT', 0); })).toBe('LEVERAGE_INVALID');
    expect(refusal(() => { engine.setLeverage(account, 'BTCUSDT', 2.5); })).toBe('LEVERAGE_INVALID');
    expect(refusal(() => { engine.setLeverage(account, 'NOPEUSDT', 2); })).toBe('UNKNOWN_SYMBOL');
    expect(refusal(() => { engine.setLeverage(account, 'BTCUSDT', 20); })).toBe('LEVERAGE_NOT_MODIFIED');
    engine.setLeverage(account, 'BTCUSDT', 50);
    engine.placeOrder(account, order({ quantity: d('0.1') }));
    expect(engine.positions(account)[0]?.margin.toFixed()).toBe('130');
    expect(engine.positions(account)[0]?.leverage).toBe(50);
  });

  it('sets one hedge leg at a time when given a side', () => {
    const { engine, account } = setup({ account: { positionMode: 'hedge' } });
    engine.setLeverage(account, 'ETHUSDT', 5, 'long');
    expect([engine.leverage(account, 'ETHUSDT', 'long'), engine.leverage(account, 'ETHUSDT', 'short')]).toEqual([5, 20]);
  });

  it('switches mode only when it changes and no position is open', () => {
    const { engine, account } = setup();
    expect(refusal(() => { engine.setPositionMode(account, 'oneway'); })).toBe('POSITION_MODE_NOT_MODIFIED');
    engine.placeOrder(account, order());
    expect(refusal(() => { engine.setPositionMode(account, 'hedge'); })).toBe('POSITION_MODE_HAS_POSITIONS');
    engine.placeOrder(account, order({ side: 'sell', reduceOnly: true }));
    engine.setPositionMode(account, 'hedge');
    expect(account.positionMode).toBe('hedge');
  });
});

describe('Bybit unified wallet', () => {
  it('spot and futures draw on one wallet', () => {
    const { engine } = setup();
    const account = engine.createAccount({ venue: 'bybit', balances: { USDT: '1000' }, futuresBalances: { USDT: '500' } });
    engine.placeOrder(account, order({ quantity: d('0.1') }));
    // margin 325 + fee 3.25 from the same 1500 USDT
    const expected = [{ asset: 'USDT', free: '1171.75', locked: '325' }];
    for (const market of ['spot', 'futures', 'unified'] as const) {
      expect(engine.balances(account, market).map((b) => ({ asset: b.asset, free: b.free.toFixed(), locked: b.locked.toFixed() }))).toEqual(expected);
    }
  });
});

describe('order queries', () => {
  it('finds by order id or client id, narrowed by symbol and market; query lag hides recent orders', () => {
    const { engine, account, clock } = setup();
    const placed = engine.placeOrder(account, order({ clientOrderId: 'abc' }));
    expect(engine.findOrder(account, { orderId: placed.orderId })).toBe(placed);
    expect(engine.findOrder(account, { clientOrderId: 'abc', symbol: 'BTCUSDT', market: 'futures' })).toBe(placed);
    expect(refusal(() => engine.findOrder(account, { orderId: placed.orderId, symbol: 'ETHUSDT' }))).toBe('ORDER_NOT_FOUND');
    expect(refusal(() => engine.findOrder(account, { orderId: placed.orderId, market: 'spot' }))).toBe('ORDER_NOT_FOUND');
    expect(refusal(() => engine.findOrder(account, {}))).toBe('INVALID_PARAMETER');
    const other = engine.createAccount({ venue: 'binance' });
    expect(refusal(() => engine.findOrder(other, { orderId: placed.orderId }))).toBe('ORDER_NOT_FOUND');

    expect(refusal(() => engine.withQueryLag(2000, () => engine.findOrder(account, { orderId: placed.orderId })))).toBe('ORDER_NOT_FOUND');
    clock.advance(2001);
    expect(engine.withQueryLag(2000, () => engine.findOrder(account, { orderId: placed.orderId }))).toBe(placed);
  });
});

describe('determinism, slippage, catalogue, clock', () => {
  it('the same seed gives the same keys and ids, and reset replays them', () => {
    const run = (engine: SimEngine) => {
      const account = engine.createAccount({ venue: 'binance', futuresBalances: { USDT: '1000' } });
      const placed = engine.placeOrder(account, order());
      return [account.apiKey, account.secret, account.uid, placed.orderId, placed.clientOrderId];
    };
    const fresh = () => new SimEngine({ venues: [fakeVenue('binance')], seed: 7, clock: createManualClock() });
    const first = fresh();
    const a = run(first);
    expect(run(fresh())).toEqual(a);
    first.reset();
    expect(run(first)).toEqual(a);
    expect(run(new SimEngine({ venues: [fakeVenue('binance')], seed: 8 }))).not.toEqual(a);
    expect(new Set(a).size).toBe(a.length);
  });

  it('order ids increase and are safe JSON integers', () => {
    const { engine } = setup();
    const ids = Array.from({ length: 100 }, () => Number(engine.nextId()));
    expect(ids.every((id, i) => Number.isSafeInteger(id) && (i === 0 || id > (ids[i - 1] ?? 0)))).toBe(true);
  });

  it('slippage moves buys up and sells down to the tick', () => {
    const { engine, account } = setup({ slippage: '0.001' });
    expect(engine.placeOrder(account, order()).price.toFixed()).toBe('65065');
    engine.setPrice('ETHUSDT', '3333.33');
    expect(engine.placeOrder(account, order({ symbol: 'ETHUSDT', side: 'sell', quantity: d('1') })).price.toFixed()).toBe('3329.99');
  });

  it('the real-size catalogue pads each market with synthetic symbols priced like DOGE', () => {
    const engine = new SimEngine({ venues: [fakeVenue('bitget')], catalogue: 'real' });
    expect(engine.instruments('bitget', 'spot')).toHaveLength(40);
    expect(engine.instruments('bitget', 'futures')).toHaveLength(20);
    const synthetic = engine.instrument('bitget', 'futures', 'SYN0014USDT');
    expect(synthetic).toMatchObject({ synthetic: true, base: 'SYN0014', quote: 'USDT', maxLeverage: 25 });
    expect(engine.instrument('bitget', 'futures', 'SYN0015USDT')).toBeUndefined();
    expect(engine.markPrice('bitget', 'SYN0014USDT').toFixed()).toBe('0.15');
    expect(new SimEngine({ venues: [fakeVenue('bitget')] }).instruments('bitget', 'spot')).toHaveLength(5);
  });

  it('now() follows the clock plus the skew', () => {
    const { engine, clock } = setup();
    engine.setClockSkew(-5000);
    expect(engine.now()).toBe(clock.now() - 5000);
  });

  it('has one funded demo account per venue', () => {
    const { engine } = setup();
    expect(engine.demoAccounts().map((a) => a.venue)).toEqual(['binance', 'bybit']);
    expect(engine.account('bybit', engine.demoAccounts()[1]?.apiKey ?? '')).toBe(engine.demoAccounts()[1]);
  });
});
