import type { CopyOptions, FanOutLimits, Follower, FollowerResult } from './copy-signal';
import { DEFAULT_LIMITS, FanOut } from './copy-signal';
import type { Signal } from './signals';

/** One signal and what each follower did, with the signal's wall time in whole ms. */
export interface SignalReport {
  readonly signal: Signal;
  readonly results: readonly FollowerResult[];
  readonly wallMs: number;
}

/** How a session of signals is copied: CopyOptions, the fan-out limits, a graceful stop and progress callbacks. */
export interface SessionOptions extends Omit<CopyOptions, 'onFollowerDone'> {
  readonly limits?: FanOutLimits | undefined;
  /** Stops the session between signals like `signal`, but lets the signal in flight finish: no call is aborted. */
  readonly stop?: AbortSignal | undefined;
  /** Called before a signal is copied (`index` counts from 0). */
  readonly onSignalStart?: ((signal: Signal, index: number) => void) | undefined;
  /** Called as each follower finishes a signal. */
  readonly onFollowerDone?: ((signal: Signal, result: FollowerResult) => void) | undefined;
  /** Called when every follower has finished a signal. */
  readonly onSignalDone?: ((report: SignalReport, index: number) => void) | undefined;
}

/** Every signal's report, in order. */
export interface SessionReport {
  readonly signals: readonly SignalReport[];
  /** True when `signal` or `stop` stopped the session before its last signal. */
  readonly aborted: boolean;
}

/**
 * Replays signals in order, each fanned out to every follower before the next starts (a close must
 * not overtake its open). Stops between signals when `signal` aborts; an order already sent is not
 * cancelled, and re-running the same signals later places nothing twice, because each (signal,
 * follower) pair's client order id is derived from `${signal.id}:${follower.id}`.
 */
export async function runCopySession(signals: readonly Signal[], followers: readonly Follower[], options: SessionOptions = {}): Promise<SessionReport> {
  const fanOut = new FanOut(options.limits ?? DEFAULT_LIMITS);
  const now = options.now ?? (() => performance.now());
  const reports: SignalReport[] = [];
  await fanOut.readEquities(signals, followers, options.signal);
  for (const [index, signal] of signals.entries()) {
    if (options.signal?.aborted === true || options.stop?.aborted === true) return { signals: reports, aborted: true };
    options.onSignalStart?.(signal, index);
    const started = now();
    const results = await fanOut.copySignal(signal, followers, {
      dryRun: options.dryRun,
      signal: options.signal,
      now,
      onSymbolInfo: options.onSymbolInfo,
      onFollowerDone: (result) => options.onFollowerDone?.(signal, result),
    });
    const report = { signal, results, wallMs: Math.round(now() - started) };
    reports.push(report);
    options.onSignalDone?.(report, index);
  }
  return { signals: reports, aborted: false };
}
