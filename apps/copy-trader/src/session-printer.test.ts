import { describe, expect, it } from 'vitest';

import { formatSummary } from './session-printer';
import type { SessionSummary } from './session-summary';
import { percentile } from './session-summary';

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
