import type { FollowerStatus } from './copy-signal';
import type { SessionReport } from './copy-session';

/** One failed follower order, for the summary's failure list. */
export interface FailureLine {
  readonly signalId: string;
  readonly followerId: string;
  readonly exchange: string;
  readonly reason: string;
}

/** A session in numbers: statuses counted, skips by kind, failures listed and latencies. */
export interface SessionSummary {
  readonly signals: number;
  readonly counts: Readonly<Record<FollowerStatus, number>>;
  /** Of the placed: how many an earlier run had placed (`journal`: no request) or left in doubt and were found on the venue (`recovered`). */
  readonly origins: { readonly journal: number; readonly recovered: number };
  /** Skips grouped by kind (`below the minimum notional`, `no position to close`, …) with counts. */
  readonly skipped: Readonly<Record<string, number>>;
  readonly failures: readonly FailureLine[];
  /** Of the order calls that returned; undefined when none did. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number } | undefined;
  readonly aborted: boolean;
}

/** Nearest-rank percentile of `values` (any order); NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** A skip reason without its numbers, so 30 followers' skips read as three lines, not thirty. */
function skipKind(reason: string): string {
  if (reason.includes('below the minimum notional')) return 'below the minimum notional';
  if (reason.includes('below the minimum')) return 'below the minimum quantity';
  if (reason.includes('above the maximum')) return 'above the maximum quantity';
  if (/^no (long|short) position/.test(reason)) return 'no position to close';
  if (reason.startsWith('holds no')) return 'nothing to sell';
  return reason;
}

/** Sums up a session report. */
export function summarize(session: SessionReport): SessionSummary {
  const counts: Record<FollowerStatus, number> = { placed: 0, skipped: 0, failed: 0, 'dry-run': 0 };
  const skipped: Record<string, number> = {};
  const failures: FailureLine[] = [];
  const latencies: number[] = [];
  const origins = { journal: 0, recovered: 0 };
  for (const { signal, results } of session.signals) {
    for (const result of results) {
      counts[result.status] += 1;
      if (result.status === 'placed' && (result.origin === 'journal' || result.origin === 'recovered')) origins[result.origin] += 1;
      if (result.latencyMs !== undefined) latencies.push(result.latencyMs);
      if (result.status === 'skipped') {
        const kind = skipKind(result.reason ?? '');
        skipped[kind] = (skipped[kind] ?? 0) + 1;
      }
      if (result.status === 'failed') failures.push({ signalId: signal.id, followerId: result.followerId, exchange: result.exchange, reason: result.reason ?? 'unknown' });
    }
  }
  const latencyMs = latencies.length === 0 ? undefined : { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
  return { signals: session.signals.length, counts, origins, skipped, failures, latencyMs, aborted: session.aborted };
}
