import { describe, expect, it } from 'vitest';
import { compareShape, mergeShapes, recordedShape } from './json-shape';

describe('recordedShape / mergeShapes', () => {
  it('keeps field names and kinds, reads a string holding a plain number as numeric', () => {
    expect(recordedShape({ id: '42', code: '00000', ok: true, px: 1.5, note: null, list: [] })).toEqual({
      kinds: ['object'],
      fields: {
        id: { kinds: ['numeric'] },
        code: { kinds: ['string'] },
        ok: { kinds: ['boolean'] },
        px: { kinds: ['number'] },
        note: { kinds: ['null'] },
        list: { kinds: ['array'] },
      },
    });
  });

  it('merges recordings: every field either shows, a real number beating a numeric string', () => {
    const merged = mergeShapes(recordedShape({ a: '10', b: 'x' }), recordedShape({ a: 10, c: [{ d: '1' }] }));
    expect(merged).toEqual({
      kinds: ['object'],
      fields: { a: { kinds: ['number'] }, b: { kinds: ['string'] }, c: { kinds: ['array'], items: { kinds: ['object'], fields: { d: { kinds: ['numeric'] } } } } },
    });
  });

  it('keeps digits-only strings as strings when the example is the venue\'s own', () => {
    expect(recordedShape({ maxLeverage: '100.00' }, { exactStrings: true })).toEqual({ kinds: ['object'], fields: { maxLeverage: { kinds: ['string'] } } });
  });

  it('reads a dictionary field by its values, not its keys', () => {
    expect(recordedShape({ fee: { USDT: '0.1' } }, { dictionaries: ['fee'] })).toEqual({
      kinds: ['object'],
      fields: { fee: { kinds: ['object'], values: { kinds: ['numeric'] } } },
    });
  });
});

describe('compareShape', () => {
  const recorded = recordedShape({ orderId: '1', status: 'NEW', reduceOnly: false, time: 1, fills: [{ qty: '1' }], fee: { USDT: '1' } }, { dictionaries: ['fee'] });

  it('passes an answer with every recorded field and kind, and lists the extra ones', () => {
    const report = compareShape(recorded, { orderId: 7, status: 'FILLED', reduceOnly: true, time: 2, fills: [{ qty: 1, tradeId: 3 }], fee: { BTC: '0.1' }, more: 1 });
    expect(report).toEqual({ missing: [], mismatched: [], extra: ['$.fills[].tradeId', '$.more'] });
  });

  it('fails on a missing field, a changed kind and an empty list the recording fills', () => {
    const report = compareShape(recorded, { orderId: '7', reduceOnly: 'false', time: '2', fills: [], fee: { USDT: false } });
    expect(report.missing).toEqual(['$.status']);
    expect(report.mismatched).toEqual([
      '$.reduceOnly: recorded boolean, answered string "false"',
      '$.time: recorded number, answered string "2"',
      '$.fills: answered an empty array where the recording has entries',
      '$.fee.USDT: recorded numeric, answered boolean',
    ]);
  });
});
