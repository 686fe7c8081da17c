import { FanOutMetrics, SignalFanOut, startOpsServer } from '@xport/queue-bullmq';
import type { SignalDone } from '@xport/queue-bullmq';

import type { CliIo } from './cli-main';
import { clientOrderIdFor, idempotencyKeyFor } from './client-order-id';
import { CopyTraderConfigError } from './config-error';
import type { FollowerResult } from './copy-signal';
import { describeError } from './copy-signal';
import type { SignalReport } from './copy-session';
import { followerResultFromJson } from './follower-result-json';
import { parseFollowersJson } from './followers-config';
import { readInputFile } from './read-input-file';
import { formatSummary, SessionPrinter } from './session-printer';
import { summarize } from './session-summary';
import type { Signal } from './signals';
import { parseSignalsJsonl } from './signals';
import { stopRequested } from './stop-requested';
import { sessionOutput, writeJsonReport } from './terminal';

/** The follower job's id: the client order id of the pair's idempotency key (BullMQ refuses `:` in an id). */
export function followerJobId(signalId: string, followerId: string): string {
  return clientOrderIdFor(idempotencyKeyFor(signalId, followerId));
}

/** A signal's report from its outcomes in Redis, as `run` prints it; a follower without one yet says so. */
function reportOf(done: SignalDone, signal: Signal, configs: ReturnType<typeof parseFollowersJson>): SignalReport {
  const results: FollowerResult[] = configs.map((config) => {
    const clientOrderKey = idempotencyKeyFor(signal.id, config.id);
    const fallback = { followerId: config.id, exchange: config.exchange, clientOrderKey, clientOrderId: clientOrderIdFor(clientOrderKey) };
    const outcome = done.outcomes.get(config.id);
    if (outcome === undefined) return { ...fallback, status: 'failed', reason: `no outcome yet: the job is still queued or in flight (look up ${fallback.clientOrderId} before sending again)` };
    return followerResultFromJson(outcome.result, fallback);
  });
  return { signal, results, wallMs: done.wallMs };
}

/** What `copy-trader serve` runs with, read and checked from its command line. */
export interface ServeOptions {
  readonly followersPath: string;
  /** A signals file, or `-` for standard input. */
  readonly signalsPath?: string | undefined;
  /** `POST /signals`, `/healthz` and `/metrics` on 127.0.0.1 at this port (0: any free one). */
  readonly httpPort?: number | undefined;
  readonly redisUrl: string;
  /** The queues' key prefix. */
  readonly queue: string;
  readonly verbose: boolean;
  /** Where the JSON report goes: a file, or `-` for standard output (the tables then go to standard error). */
  readonly json?: string | undefined;
}

/** `copy-trader serve` (loaded only when the command runs: `run` and `demo` load no BullMQ). */
export async function runServe(options: ServeOptions, io: CliIo): Promise<number> {
  const { followersPath, signalsPath, httpPort } = options;
  if (signalsPath === undefined && httpPort === undefined) throw new CopyTraderConfigError('usage', ['give signalsPath, httpPort, or both']);
  const configs = parseFollowersJson(await readInputFile(followersPath, 'followers file'), followersPath);
  const fromFile = signalsPath === undefined ? [] : parseSignalsJsonl(await readInputFile(signalsPath, 'signals file'), signalsPath);

  // `--json -`: the JSON owns standard output and the tables go to standard error, as in `run`.
  const output = sessionOutput(io, options.json, options.verbose);
  const printer = new SessionPrinter(output.out, configs.length, output.display);
  const reports: SignalReport[] = [];
  const submitted: Signal[] = [];
  const pending = new Set<string>();
  let allReported: (() => void) | undefined;
  const metrics = new FanOutMetrics();
  const fanOut = new SignalFanOut({
    redisUrl: options.redisUrl,
    prefix: options.queue,
    followerIds: configs.map((config) => config.id),
    jobIdOf: followerJobId,
    metrics,
    onSignalDone: (done) => {
      const [signal] = parseSignalsJsonl(done.payload, `signal ${done.signalId}`);
      if (signal === undefined) return;
      const report = reportOf(done, signal, configs);
      reports.push(report);
      printer.signalDone(report, reports.length - 1, Math.max(submitted.length, reports.length));
      pending.delete(signal.id);
      if (pending.size === 0) allReported?.();
    },
  });
  const submit = async (signals: readonly Signal[]): Promise<{ queued: string[]; duplicates: string[] }> => {
    const queued: string[] = [];
    const duplicates: string[] = [];
    for (const signal of signals) {
      // The same reader as `run`'s, on the way in and in the worker: the payload is the checked signal as JSON.
      const { queued: isNew } = await fanOut.submit(signal.id, JSON.stringify(signal));
      if (isNew) {
        queued.push(signal.id);
        submitted.push(signal);
        pending.add(signal.id);
      } else duplicates.push(signal.id);
    }
    for (const id of duplicates) output.out.write(`${id}: already submitted (kept in the queue): not sent again\n`);
    return { queued, duplicates };
  };
  const ops =
    httpPort === undefined
      ? undefined
      : await startOpsServer({
          port: httpPort,
          metrics,
          health: async () => ({ ok: await fanOut.redisAnswers() }),
          routes: {
            'POST /signals': async (body) => {
              try {
                return { status: 202, body: await submit(parseSignalsJsonl(body, 'request body')) };
              } catch (error) {
                if (error instanceof CopyTraderConfigError) return { status: 400, body: { error: error.message } };
                return { status: 503, body: { error: describeError(error) } };
              }
            },
          },
        });
  await fanOut.start();
  try {
    output.out.write(`serve: ${configs.length} followers${ops === undefined ? '' : `; POST signals to ${ops.url}/signals, ${ops.url}/healthz, ${ops.url}/metrics`}\n`);
    const waitForReports = new Promise<void>((resolve) => (allReported = resolve));
    await submit(fromFile);
    if (ops === undefined) {
      // A file or stdin alone: done once every signal it queued has its report.
      if (pending.size > 0) await Promise.race([waitForReports, stopRequested(io.signal)]);
    } else {
      await stopRequested(io.signal);
    }
  } finally {
    await ops?.close();
    await fanOut.close();
  }
  const summary = summarize({ signals: reports, aborted: pending.size > 0 });
  output.out.write(formatSummary(summary, output.display));
  await writeJsonReport(output, { summary, signals: reports });
  return summary.counts.failed > 0 ? 1 : pending.size > 0 ? 130 : 0;
}
