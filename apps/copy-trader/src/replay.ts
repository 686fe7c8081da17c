import type { FanOutLimits, Follower } from './copy-signal';
import { DEFAULT_LIMITS } from './copy-signal';
import type { SessionReport } from './copy-session';
import { runCopySession } from './copy-session';
import type { OutputStream } from './session-printer';
import { formatSummary, SessionPrinter } from './session-printer';
import type { SessionSummary } from './session-summary';
import { summarize } from './session-summary';
import type { Signal } from './signals';
import { SymbolSteps } from './symbol-steps';
import type { Display } from './terminal';
import { DEFAULT_WIDTH, writeJsonReport } from './terminal';

export interface ReplayOptions {
  /** Where the progress, tables and summary go. */
  readonly out: OutputStream;
  readonly dryRun: boolean;
  readonly verbose: boolean;
  /** How tables are drawn on `out` (default: no colour, 100 columns, cut notes unless `verbose`). */
  readonly display?: Display | undefined;
  /** A file for the JSON report, or `-` for `jsonOut`. */
  readonly json?: string | undefined;
  /** Where `json: '-'` writes (the CLI's standard output, while `out` is then its standard error). */
  readonly jsonOut?: OutputStream | undefined;
  readonly limits?: FanOutLimits | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Stops between signals without aborting the one in flight (the CLI's output was closed). */
  readonly stop?: AbortSignal | undefined;
  /** Called before each signal is fanned out (the demo moves the simulator's prices here). */
  readonly beforeSignal?: ((index: number) => void) | undefined;
}

export interface ReplayResult {
  readonly session: SessionReport;
  readonly summary: SessionSummary;
  /** 0 only when no order failed and the session ran to its end. */
  readonly exitCode: number;
}

/** Runs a session with live output, prints the summary, writes the JSON report, and closes the adapters. */
export async function replay(signals: readonly Signal[], followers: readonly Follower[], options: ReplayOptions): Promise<ReplayResult> {
  const display = options.display ?? { colour: false, width: DEFAULT_WIDTH, verbose: options.verbose };
  const symbols = new SymbolSteps();
  const printer = new SessionPrinter(options.out, followers.length, display, symbols);
  let session: SessionReport;
  try {
    session = await runCopySession(signals, followers, {
      limits: options.limits ?? DEFAULT_LIMITS,
      dryRun: options.dryRun,
      onSymbolInfo: (exchange, info) => {
        symbols.remember(exchange, info);
      },
      signal: options.signal,
      stop: options.stop,
      onSignalStart: (signal, index) => {
        options.beforeSignal?.(index);
        printer.signalStarted(signal, index, signals.length);
      },
      onFollowerDone: (signal) => {
        printer.followerDone(signal, signals.indexOf(signal), signals.length);
      },
      onSignalDone: (report, index) => {
        printer.signalDone(report, index, signals.length);
      },
    });
  } finally {
    await Promise.allSettled(followers.map((follower) => follower.port.close()));
  }
  const summary = summarize(session);
  options.out.write(formatSummary(summary, display));
  await writeJsonReport(options, { summary, signals: session.signals });
  const exitCode = summary.counts.failed > 0 ? 1 : session.aborted ? 130 : 0;
  return { session, summary, exitCode };
}
