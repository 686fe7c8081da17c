import { describe, expect, it } from 'vitest';

import { Decimal, SymbolInfo } from '@xport/core';
import type { OrderResult } from '@xport/core';

import type { FollowerResult } from './copy-signal';
import { formatSummary, SessionPrinter } from './session-printer';
import type { SessionSummary } from './session-summary';
import { percentile } from './session-summary';
import { SymbolSteps } from './symbol-steps';

const base: SessionSummary = {
  signals: 2,
  counts: { placed: 5, skipped: 1, failed: 0, 'dry-run': 0 },
  origins: { journal: 0, recovered: 0 },
  skipped: { 'no position to close': 1 },
  failures: [],
  latencyMs: { p50: 12.4, p99: 80, max: 91 },
  aborted: false,
};

describe('formatSummary', () => {
  it('lists each failure while there are few, and groups them by venue and reason when there are many', () => {
    const few = { ...base, counts: { ...base.counts, failed: 1 }, failures: [{ signalId: 's1', followerId: 'f1', exchange: 'bitget', reason: 'NetworkError: refused' }] };
    expect(formatSummary(few)).toBe(
      'summary: 2 signals, 5 orders placed, 1 skipped, 1 failed\n  skipped 1: no position to close\n  failed s1 f1 (bitget): NetworkError: refused\nlatency per order: p50 12 ms, p99 80 ms, max 91 ms\n',
    );
    const failures = Array.from({ length: 25 }, (_, index) => ({ signalId: 's1', followerId: `f${index}`, exchange: 'bitget', reason: `CircuitOpenError: open for another ${index} ms` }));
    expect(formatSummary({ ...base, counts: { ...base.counts, failed: 25 }, failures })).toContain('\n  failed 25 on bitget: CircuitOpenError: open for another N ms\n');
  });

  it('says how many of the placed orders an earlier run had placed or left in doubt', () => {
    expect(formatSummary({ ...base, origins: { journal: 3, recovered: 1 } })).toBe(
      'summary: 2 signals, 5 orders placed, 1 skipped, 0 failed\n' +
        '  of the 5 placed: 3 already placed (in the journal, no request sent), 1 recovered (found on the venue by client order id), 1 sent now\n' +
        '  skipped 1: no position to close\nlatency per order: p50 12 ms, p99 80 ms, max 91 ms\n',
    );
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, index) => index + 1), 99)).toBe(99);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('SessionPrinter', () => {
  it("shows quantities and prices to the symbol's step and tick, colours the status when asked, and cuts notes to the width", () => {
    const symbols = new SymbolSteps();
    symbols.remember(
      'bybit',
      new SymbolInfo({ exchange: 'bybit', symbol: 'ETH/USDT', exchangeSymbol: 'ETHUSDT', marketType: 'spot', quantityStep: new Decimal('0.00001'), minQuantity: new Decimal('0.00062'), priceTick: new Decimal('0.01'), minNotional: new Decimal('1') }),
    );
    const order = { filledQuantity: new Decimal('0.0300000000001'), averagePrice: new Decimal('3483.333333333333'), status: 'filled' } as unknown as OrderResult;
    const results: FollowerResult[] = [
      { followerId: 'f1', exchange: 'bybit', status: 'placed', clientOrderKey: 'k:f1', clientOrderId: 'x1', quantity: new Decimal('0.03'), order, origin: 'placed', latencyMs: 12 },
      { followerId: 'f2', exchange: 'bybit', status: 'failed', clientOrderKey: 'k:f2', clientOrderId: 'x2', reason: `NetworkError: ${'x'.repeat(200)}` },
    ];
    const signal = { id: 'k', action: 'spotBuy', symbol: 'ETHUSDT', quantity: new Decimal('1'), price: new Decimal('3480'), masterEquity: new Decimal('100000') } as const;
    let text = '';
    const out = { write: (chunk: string) => (text += chunk) };
    new SessionPrinter(out, 2, { colour: true, width: 100, verbose: false }, symbols).signalDone({ signal, results, wallMs: 20 }, 0, 1);
    expect(text).toContain('f1        bybit  \x1b[32mplaced/filled\x1b[39m  0.03      3483.33    12 ms');
    expect(text).toContain(`\x1b[31mfailed       \x1b[39m  -         -          -        NetworkError: ${'x'.repeat(35)}…\n`);
    text = '';
    new SessionPrinter(out, 2, { colour: false, width: 100, verbose: true }, symbols).signalDone({ signal, results, wallMs: 20 }, 0, 1);
    expect(text).toContain(`NetworkError: ${'x'.repeat(200)}\n`);
    expect(text).not.toContain('\x1b[');
  });
});
