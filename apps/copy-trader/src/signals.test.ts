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
        '  line 2: action: expected one of spotBuy, spotSell, futuresLong, futuresShort, closeLong, closeShort, got "buy"',
        '  line 3: expected a JSON object, got not json',
        '  line 4: leverage: expected no leverage on a spot signal, got 3',
      ].join('\n'),
    );
    expect(() => parseSignalsJsonl('\n\n')).toThrow('signals file: expected at least one signal, got an empty file');
  });
});
