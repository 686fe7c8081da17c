import { describe, expect, it } from 'vitest';

import { parseSignalsJsonl } from './signals';

describe('parseSignalsJsonl', () => {
  it('reads opening and closing signals, skipping blank lines', () => {
    const text = [
      '{"id":"s1","action":"spotBuy","symbol":"BTCUSDT","quantity":"0.2","price":"65000","masterEquity":"100000"}',
      '',
      '{"id":"s2","action":"futuresShort","symbol":"ETH/USDT","quantity":"3","price":"3500","masterEquity":"100000","leverage":5}',
      '{"id":"s3","action":"closeShort","symbol":"ETHUSDT"}',
    ].join('\n');
    const signals = parseSignalsJsonl(text);
    expect(signals.map((signal) => [signal.id, signal.action, 'leverage' in signal ? signal.leverage : null])).toEqual([
      ['s1', 'spotBuy', undefined],
      ['s2', 'futuresShort', 5],
      ['s3', 'closeShort', null],
    ]);
  });

  it('names the line, the field and what was expected', () => {
    const text = [
      '{"id":"s1","action":"futuresLong","symbol":"BTCUSDT","quantity":12,"price":"65000","masterEquity":"100000"}',
      '{"id":"s1","action":"buy","symbol":"BTCUSDT"}',
      'not json',
      '{"id":"s3","action":"spotSell","symbol":"BTCUSDT","quantity":"1","price":"65000","masterEquity":"100000","leverage":3}',
    ].join('\n');
    expect(() => parseSignalsJsonl(text, 'signals.jsonl')).toThrow(
      [
        'signals.jsonl: 5 problems',
        '  line 1: quantity: expected a positive decimal string, got 12',
        '  line 1: leverage: expected an integer from 1 to 200, got nothing',
        '  line 2: action: expected one of spotBuy, spotSell, futuresLong, futuresShort, closeLong, closeShort, reduceLong, reduceShort, got "buy"',
        '  line 3: expected a JSON object, got not json',
        '  line 4: leverage: expected no leverage on a spot signal, got 3',
      ].join('\n'),
    );
    expect(() => parseSignalsJsonl('\n\n')).toThrow('signals file: expected at least one signal, got an empty file');
  });

  it('reads a reduce as the master\'s closed quantity and its leg before, both exact decimals', () => {
    const [reduce, whole] = parseSignalsJsonl(
      ['{"id":"r1","action":"reduceLong","symbol":"BTCUSDT","quantity":"0.1","masterPositionBefore":"0.3"}', '{"id":"r2","action":"reduceShort","symbol":"ETHUSDT","quantity":"2","masterPositionBefore":"2.0"}'].join('\n'),
    );
    expect(reduce !== undefined && 'masterPositionBefore' in reduce ? [reduce.action, reduce.quantity.toFixed(), reduce.masterPositionBefore.toFixed()] : []).toEqual(['reduceLong', '0.1', '0.3']);
    expect(whole).toMatchObject({ action: 'reduceShort', symbol: 'ETHUSDT' });
  });

  it('refuses a reduce of nothing, of more than the master held, negative, or not in a decimal string, naming the line and the field', () => {
    const line = (fields: string): string => `{"id":"r","action":"reduceLong","symbol":"BTCUSDT",${fields}}`;
    const text = [
      line('"quantity":"0","masterPositionBefore":"1"'),
      line('"quantity":"1.5","masterPositionBefore":"1"'),
      line('"quantity":"-0.5","masterPositionBefore":"1"'),
      line('"quantity":0.5,"masterPositionBefore":"1"'),
      line('"quantity":"half","masterPositionBefore":"0"'),
      line('"quantity":"0.5"'),
      line('"quantity":"0.5","masterPositionBefore":"1","price":"65000"'),
    ].join('\n');
    expect(() => parseSignalsJsonl(text, 'signals.jsonl')).toThrow(
      [
        'signals.jsonl: 8 problems',
        '  line 1: quantity: expected a positive decimal string, got "0"',
        '  line 2: quantity: expected at most masterPositionBefore (a reduce closes part or all of the leg, never more), got "1.5"',
        '  line 3: quantity: expected a positive decimal string, got "-0.5"',
        '  line 4: quantity: expected a positive decimal string, got 0.5',
        '  line 5: quantity: expected a positive decimal string, got "half"',
        '  line 5: masterPositionBefore: expected a positive decimal string, got "0"',
        '  line 6: masterPositionBefore: expected a positive decimal string, got nothing',
        '  line 7: price: unknown field (allowed: id, action, symbol, quantity, masterPositionBefore)',
      ].join('\n'),
    );
  });
});
