import { inspect } from 'node:util';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { Balance } from './balance';
import { Decimal } from './decimal';
import { InvalidLeverageError, InvalidOrderError, InvalidValueError } from './errors';
import { OrderResult } from './order-result';
import type { OrderResultProps } from './order-result';
import { SymbolInfo } from './symbol-info';

const d = (value: string | number): Decimal => new Decimal(value);

const order = (overrides: Partial<OrderResultProps> = {}): OrderResult =>
  new OrderResult({
    exchange: 'binance',
    orderId: '12345',
    clientOrderId: 'xp-abc',
    symbol: 'BTCUSDT',
    marketType: 'spot',
    side: 'buy',
    status: 'filled',
    requestedQuantity: d('0.01'),
    filledQuantity: d('0.01'),
    averagePrice: d('65000'),
    fee: { amount: d('0.65'), asset: 'usdt' },
    timestamp: 1_700_000_000_000,
    raw: { secretEcho: 'do-not-log-me', signature: 'abcdef' },
    ...overrides,
  });

describe('Balance', () => {
  it('computes total as free + locked, and refuses a total that disagrees', () => {
    const balance = new Balance({ asset: 'usdt', free: d('100.5'), locked: d('0.25'), market: 'spot' });
    expect(balance.total.toFixed()).toBe('100.75');
    expect(balance.asset).toBe('USDT');
    expect(() => new Balance({ asset: 'USDT', free: d(1), locked: d(1), total: d(3), market: 'spot' })).toThrow(InvalidValueError);
    expect(() => new Balance({ asset: 'USDT', free: d(-1), locked: d(0), market: 'spot' })).toThrow(/free must be a finite Decimal >= 0/);
  });

  it('is immutable and serialises decimals as strings', () => {
    const balance = Balance.zero('BTC', 'futures');
    expect(Object.isFrozen(balance)).toBe(true);
    expect(JSON.parse(JSON.stringify(balance))).toEqual({ asset: 'BTC', free: '0', locked: '0', total: '0', market: 'futures' });
  });
});

describe('OrderResult', () => {
  it('normalises the symbol and keeps amounts as Decimals', () => {
    const result = order();
    expect(result.symbol).toBe('BTC/USDT');
    expect(result.cost.toFixed()).toBe('650');
    expect(result.fee?.asset).toBe('USDT');
    expect(result.isFilled).toBe(true);
  });

  it('keeps the raw payload out of JSON, inspect and enumeration', () => {
    const result = order();
    expect(result.raw).toEqual({ secretEcho: 'do-not-log-me', signature: 'abcdef' });
    expect(JSON.stringify(result)).not.toContain('do-not-log-me');
    expect(inspect(result)).not.toContain('do-not-log-me');
    expect(Object.keys(result)).not.toContain('raw');
  });

  it.each<[string, Partial<OrderResultProps>, RegExp]>([
    ['overfill', { filledQuantity: d('0.02') }, /exceeds requestedQuantity/],
    ['filled with nothing', { filledQuantity: d(0), averagePrice: undefined }, /"filled" with nothing filled/],
    ['fill without price', { averagePrice: undefined }, /averagePrice is required/],
    ['position side on spot', { positionSide: 'long' }, /futures orders only/],
    ['negative fee', { fee: { amount: d(-1), asset: 'USDT' } }, /fee.amount/],
    ['bad timestamp', { timestamp: 1.5 }, /timestamp must be epoch milliseconds/],
    ['empty order id', { orderId: '' }, /orderId must be a non-empty string/],
    ['unknown status', { status: 'done' as never }, /status must be one of/],
  ])('refuses %s', (_label, overrides, message) => {
    expect(() => order(overrides)).toThrow(message);
  });

  it('says how the order was known (origin) in the instance and its JSON, and withOrigin keeps the rest', () => {
    expect(order().origin).toBeUndefined();
    expect(order().toJSON()).not.toHaveProperty('origin');
    const placed = order({ origin: 'placed' });
    expect(placed.toJSON().origin).toBe('placed');
    const fromJournal = OrderResult.fromJSON(JSON.parse(JSON.stringify(placed))).withOrigin('journal');
    expect(fromJournal.origin).toBe('journal');
    expect({ ...fromJournal.toJSON(), origin: 'placed' }).toEqual(placed.toJSON());
    expect(order().withOrigin('recovered').raw).toEqual(order().raw);
    expect(() => order({ origin: 'guessed' as never })).toThrow(/origin must be one of/);
  });

  it('reads back what toJSON wrote, through a JSON round trip, with every rule checked again', () => {
    for (const original of [order(), order({ marketType: 'futures', positionSide: 'short', reduceOnly: true, fee: undefined }), order({ status: 'new', filledQuantity: d(0), averagePrice: undefined })]) {
      const read = OrderResult.fromJSON(JSON.parse(JSON.stringify(original)));
      expect(read.toJSON()).toEqual(original.toJSON());
      expect(read.raw).toBeUndefined();
      expect(read.requestedQuantity.eq(original.requestedQuantity)).toBe(true);
    }
    // Databases give null for what JSON.stringify left out.
    expect(OrderResult.fromJSON({ ...order().toJSON(), positionSide: null, fee: null }).fee).toBeUndefined();
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'filled', /JSON must be an object/],
    ['a number quantity', { ...order().toJSON(), requestedQuantity: 0.01 }, /requestedQuantity must be a Decimal or a decimal string/],
    ['an overfill', { ...order().toJSON(), filledQuantity: '1' }, /exceeds requestedQuantity/],
    ['a string flag', { ...order().toJSON(), reduceOnly: 'no' }, /reduceOnly must be a boolean/],
    ['a missing fee asset', { ...order().toJSON(), fee: { amount: '1' } }, /fee.asset must be a non-empty string/],
  ])('refuses JSON with %s as InvalidValueError', (_label, json, message) => {
    expect(() => OrderResult.fromJSON(json)).toThrow(message);
    expect(() => OrderResult.fromJSON(json)).toThrow(InvalidValueError);
  });
});

describe('SymbolInfo', () => {
  const btc = new SymbolInfo({
    exchange: 'binance',
    symbol: 'BTCUSDT',
    exchangeSymbol: 'BTCUSDT',
    marketType: 'futures',
    quantityStep: d('0.001'),
    minQuantity: d('0.001'),
    maxQuantity: d('1000'),
    priceTick: d('0.1'),
    minNotional: d('100'),
    maxLeverage: 125,
  });

  it('floors to the step and never rounds up (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }), (units, scale) => {
        const quantity = d(units).div(d(10).pow(scale));
        const floored = btc.floorQuantity(quantity);
        expect(floored.lte(quantity)).toBe(true);
        expect(quantity.minus(floored).lt(btc.quantityStep)).toBe(true);
        expect(floored.mod(btc.quantityStep).isZero()).toBe(true);
      }),
    );
  });

  it('refuses below the minimum quantity and notional, above the maximum, naming the rule', () => {
    expect(btc.prepareQuantity(d('0.0159'), d('65000')).toFixed()).toBe('0.015');
    expect(() => btc.prepareQuantity(d('0.0009'))).toThrow(/below the minimum 0.001/);
    expect(() => btc.prepareQuantity(d('0.001'), d('65000'))).toThrow(/below the minimum notional 100/);
    expect(() => btc.prepareQuantity(d('5000'))).toThrow(/above the maximum 1000/);
    try {
      btc.prepareQuantity(d('0.0001'));
    } catch (error) {
      expect(InvalidOrderError.isInstance(error) && error.field).toBe('quantity');
    }
  });

  it('takes back a quantity it prepared itself without preparing it again, checking only a new reference price', () => {
    const sized = btc.prepareQuantity(d('0.0159'), d('65000'));
    // The same instance: nothing to floor, the same rules already held.
    expect(btc.prepareQuantity(sized)).toBe(sized);
    expect(btc.prepareQuantity(sized, d('65000'))).toBe(sized);
    // A price the caller did not check against: the notional is checked with it.
    expect(() => btc.prepareQuantity(sized, d('6000'))).toThrow(/below the minimum notional 100/);
    // Another SymbolInfo (other rules), or an equal but separate Decimal: prepared in full.
    const coarse = new SymbolInfo({ ...btc.toJSON(), quantityStep: d('0.01'), minQuantity: d('0.01'), maxQuantity: d('1000'), priceTick: d('0.1'), minNotional: d('0'), maxLeverage: 125 });
    expect(coarse.prepareQuantity(sized).toFixed()).toBe('0.01');
    expect(btc.prepareQuantity(d('0.015')).eq(sized)).toBe(true);
  });

  it('checks leverage against the symbol maximum', () => {
    expect(() => {
      btc.checkLeverage(125);
    }).not.toThrow();
    expect(() => {
      btc.checkLeverage(126);
    }).toThrow(InvalidLeverageError);
  });
});
