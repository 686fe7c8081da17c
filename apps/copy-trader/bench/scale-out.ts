/**
 * One signal to `--followers` followers (round-robin over Binance, Bybit and Bitget), a spot buy and
 * a futures open, the simulator with its real-scale catalogues, its real budgets and `--latency-ms`
 * (20) added to every request, in three configurations measured in the same run:
 *
 *   (a) one process: bench/fan-out.ts's warm path (bench/fan-out-warm-client.mjs, as shipped);
 *   (b) `copy-trader serve` + `--workers` (4) `copy-trader worker`s, all `--egress 127.0.0.2`, `--redis`;
 *   (c) the same with each worker on its own address, 127.0.0.2, 127.0.0.3, …
 *
 * The workers share the real Redis (`XPORT_REDIS_URL`: queues, budgets, breakers and catalogues
 * under a prefix of this run's own) and a PostgreSQL journal in a database of this run's own
 * (`XPORT_POSTGRES_URL`), dropped after. The built CLI is spawned: build first.
 *
 * Warm, for the queued runs: every worker has started, connected to Redis and PostgreSQL and
 * processed the jobs of a warm-up signal of the same action whose orders all fall below the venues'
 * minimum quantity (skipped: the journal read, markets loaded into each worker once from the shared
 * catalogue, the keep-alive connections open, no order placed), then `--settle-ms` (6 s, past
 * Bybit's 5 s window) passes before the measured signal is posted to serve's `POST /signals`.
 *
 * Every figure comes from the simulator's request log for the signal alone, alike for the three:
 * a follower's order is acknowledged when the last request with its key arrived plus the injected
 * latency; signal → last order is the latest of those from the instant the signal was given (the
 * warm client told to go, or the POST sent). The floor is bench/warm-signal.ts's `floorOf`, with the
 * per-IP limits multiplied by the number of egress addresses.
 *
 *   npx pnpm@10.34.9 turbo run build --filter=@xport/copy-trader...
 *   npx pnpm@10.34.9 --filter @xport/copy-trader run bench:scale-out --followers 1000
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

import type { RequestLogEntry, Simulator } from '@xport/simulator';
import { startSimulator } from '@xport/simulator';
import { VENUE_NAMES } from '@xport/venues';
import type { VenueName } from '@xport/venues';
import pg from 'pg';

import { percentile } from '../src/session-summary';
import type { CliProcess } from '../src/test-support/cli-process';
import { removeQueue, startCli } from '../src/test-support/cli-process';

import type { VenueCounts, WarmAction } from './warm-signal';
import { countByVenue, floorOf, runWarm } from './warm-signal';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    followers: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '4' },
    'worker-concurrency': { type: 'string', default: '64' },
    'latency-ms': { type: 'string', default: '20' },
    'settle-ms': { type: 'string', default: '6000' },
    configs: { type: 'string', default: 'a,b,c' },
  },
  strict: true,
});
const followerCount = Number(values.followers);
const workerCount = Number(values.workers);
const workerConcurrency = Number(values['worker-concurrency']);
const latencyMs = Number(values['latency-ms']);
const settleMs = Number(values['settle-ms']);
const configs = new Set(values.configs.split(','));
const REDIS_URL = process.env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.XPORT_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';
const ACTIONS = ['spotBuy', 'futuresLong'] as const;
const run = randomBytes(3).toString('hex');

/** One configuration's signal, from the simulator's log. */
interface Measured {
  readonly config: string;
  readonly action: WarmAction;
  readonly addresses: number;
  readonly followers: number;
  readonly byVenue: Readonly<Record<VenueName, VenueCounts>>;
  /** Signal → each follower's order acknowledged, ms. */
  readonly acks: readonly number[];
  readonly lastByVenue: Readonly<Record<string, number>>;
  /** The most requests to Bybit in any 5 s, and to Binance / Bitget in any minute, from all the addresses together. */
  readonly busiest: Readonly<Record<VenueName, number>>;
  readonly note: string;
  /** The largest peak resident set of the workers (Linux's VmHWM), MB, read after both signals. */
  readonly workerPeakMb?: number | undefined;
}

/** A process's peak resident set, MB (Linux), or undefined where /proc does not say. */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** Signal → order acknowledged per follower key: its last request's arrival plus the injected latency. */
function measure(requests: readonly RequestLogEntry[], startedAt: number): { acks: number[]; lastByVenue: Record<string, number> } {
  const last = new Map<string, { venue: string; at: number }>();
  for (const entry of requests) {
    if (entry.apiKey === undefined || entry.exchange === undefined) continue;
    const seen = last.get(entry.apiKey);
    if (seen === undefined || entry.time > seen.at) last.set(entry.apiKey, { venue: entry.exchange, at: entry.time });
  }
  const lastByVenue: Record<string, number> = {};
  const acks = [...last.values()].map(({ venue, at }) => {
    const ack = at + latencyMs - startedAt;
    lastByVenue[venue] = Math.max(lastByVenue[venue] ?? 0, ack);
    return ack;
  });
  return { acks, lastByVenue };
}

/** The most requests per venue in any of its limit's windows (Bybit 5 s, Binance and Bitget 60 s). */
function busiestWindows(requests: readonly RequestLogEntry[]): Record<VenueName, number> {
  const windowOf: Record<VenueName, number> = { binance: 60_000, bybit: 5_000, bitget: 60_000 };
  return Object.fromEntries(
    VENUE_NAMES.map((venue): [VenueName, number] => {
      const times = requests.filter((entry) => entry.exchange === venue).map((entry) => entry.time).sort((a, b) => a - b);
      let most = 0;
      for (let end = 0, start = 0; end < times.length; end++) {
        while ((times[end] ?? 0) - (times[start] ?? 0) >= windowOf[venue]) start++;
        most = Math.max(most, end - start + 1);
      }
      return [venue, most];
    }),
  ) as Record<VenueName, number>;
}

function signalLine(id: string, action: WarmAction, warmUp: boolean): string {
  // Below every venue's minimum quantity: sized, checked against the markets and skipped.
  const tiny = '0.00000001';
  const signal =
    action === 'spotBuy'
      ? { id, action, symbol: 'BTCUSDT', quantity: warmUp ? tiny : '0.001', price: '65000', masterEquity: '100000' }
      : // 0.002 BTC: Binance USDⓈ-M refuses orders under 100 USDT.
        { id, action, symbol: 'BTCUSDT', quantity: warmUp ? tiny : '0.002', price: '65000', masterEquity: '100000', leverage: 5 };
  return `${JSON.stringify(signal)}\n`;
}

/** Posts one signal to serve and waits for its report line; the instant it was posted. */
async function postSignal(serve: CliProcess, url: string, id: string, line: string): Promise<{ startedAt: number; status: string }> {
  const startedAt = Date.now();
  const answer = await fetch(`${url}/signals`, { method: 'POST', body: line });
  if (answer.status !== 202) throw new Error(`POST /signals: ${String(answer.status)} ${await answer.text()}`);
  const [status] = await serve.waitFor(new RegExp(`\\] ${id} [^\\n]*: [^\\n]* in [^\\n]*`), 600_000);
  return { startedAt, status };
}

/** (b) or (c): serve and `addresses.length` workers on a fresh set of accounts, one signal each way. */
async function runQueued(sim: Simulator, config: string, addresses: readonly string[], scratch: string): Promise<Measured[]> {
  sim.reset();
  sim.faults.add({ kind: 'latency', ms: latencyMs });
  const env: Record<string, string> = {};
  const followers = Array.from({ length: followerCount }, (_, index) => {
    const venue = VENUE_NAMES[index % VENUE_NAMES.length] ?? 'binance';
    const account = sim.accounts.create({ venue, balances: { USDT: '100000' }, futuresBalances: { USDT: '100000' }, positionMode: 'oneway' });
    env[`K${String(index)}`] = account.apiKey;
    env[`S${String(index)}`] = account.secret;
    if (account.passphrase !== undefined) env[`P${String(index)}`] = account.passphrase;
    return {
      id: `f${String(index)}`,
      exchange: venue,
      credentials: { apiKey: `K${String(index)}`, apiSecret: `S${String(index)}`, ...(account.passphrase !== undefined && { passphrase: `P${String(index)}` }) },
      positionMode: 'oneway',
      sizing: { ratio: '1' },
    };
  });
  const followersFile = join(scratch, `${config}-followers.json`);
  writeFileSync(followersFile, JSON.stringify({ followers }));
  const database = `xport_bench_scale_${config}_${run}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const journalUrl = new URL(POSTGRES_URL);
  journalUrl.pathname = `/${database}`;
  const queue = `bench-scale-${config}-${run}`;
  const baseUrlArgs = VENUE_NAMES.flatMap((venue) => [`--base-url-${venue}`, `${sim.url}/${venue}`]);
  const processes: CliProcess[] = [];
  const measured: Measured[] = [];
  try {
    for (const address of addresses) {
      const args = ['worker', '--followers', followersFile, '--journal', journalUrl.toString(), '--egress', address, '--redis', REDIS_URL, '--queue', queue];
      processes.push(startCli([...args, '--concurrency', String(workerConcurrency), ...baseUrlArgs], env));
    }
    const serve = startCli(['serve', '--followers', followersFile, '--http', '0', '--redis', REDIS_URL, '--queue', queue], env);
    processes.push(serve);
    for (const worker of processes.slice(0, -1)) await worker.waitFor(/worker: \d+ followers/, 120_000);
    const [, url] = await serve.waitFor(/POST signals to (http:\/\/\S+)\/signals/, 120_000);
    if (url === undefined) throw new Error('serve printed no URL');
    for (const action of ACTIONS) {
      await postSignal(serve, url, `warm-${action}-${config}`, signalLine(`warm-${action}-${config}`, action, true));
      await sleep(settleMs);
      const mark = sim.requests().length;
      const before = Object.fromEntries(VENUE_NAMES.map((venue) => [venue, sim.ledger.orders({ venue }).length]));
      const id = `bench-${action}-${config}`;
      const { startedAt, status } = await postSignal(serve, url, id, signalLine(id, action, false));
      const requests = sim.requests().slice(mark);
      const { acks, lastByVenue } = measure(requests, startedAt);
      measured.push({
        config,
        action,
        addresses: new Set(addresses).size,
        followers: followerCount,
        byVenue: countByVenue(requests, (venue) => sim.ledger.orders({ venue }).length - (before[venue] ?? 0)),
        acks,
        lastByVenue,
        busiest: busiestWindows(requests),
        note: status,
      });
    }
    const peaks = processes.slice(0, -1).map((worker) => peakRssMb(worker.child.pid) ?? Number.NaN);
    return measured.map((m) => ({ ...m, workerPeakMb: Math.max(...peaks) }));
  } finally {
    for (const cli of processes) if (cli.child.exitCode === null) cli.child.kill('SIGTERM');
    await Promise.race([Promise.all(processes.map((cli) => cli.exited)), sleep(60_000)]);
    for (const cli of processes) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    // The queues, the signals' outcome hashes (kept a week otherwise) and the venue state the workers shared.
    await removeQueue(REDIS_URL, queue);
  }
}

/** (a): bench/fan-out.ts's one-process warm run, measured from the same log as the others. */
async function runOneProcess(sim: Simulator, action: WarmAction, scratch: string): Promise<Measured> {
  const report = await runWarm(sim, followerCount, action, 'tuned', scratch, latencyMs);
  const { acks, lastByVenue } = measure(report.requests, report.startedAt);
  const failed = Object.values(report.failures).reduce((a, b) => a + b, 0);
  return {
    config: 'a',
    action,
    addresses: 1,
    followers: followerCount,
    byVenue: report.byVenue,
    acks,
    lastByVenue,
    busiest: busiestWindows(report.requests),
    note: `${String(report.placed)} placed, ${String(failed)} not (client's own signal → last: ${(report.signalToLastMs / 1000).toFixed(2)} s)`,
  };
}

const LABELS: Record<string, string> = { a: '(a) 1 process', b: `(b) ${String(workerCount)}w 1 addr`, c: `(c) ${String(workerCount)}w ${String(workerCount)} addr` };

function table(runs: readonly Measured[]): string {
  const sum = (m: Measured, field: keyof VenueCounts): number => VENUE_NAMES.reduce((total, venue) => total + m.byVenue[venue][field], 0);
  const last = (m: Measured): number => Math.max(...m.acks);
  const floor = (m: Measured): number => floorOf(m, latencyMs, m.addresses).floorMs;
  const oneProcess = (m: Measured): Measured | undefined => runs.find((other) => other.config === 'a' && other.action === m.action);
  const limits: Record<VenueName, string> = { binance: '6,000 or 2,400 /min', bybit: '600 /5 s', bitget: '6,000 /min' };
  const rows: [string, (m: Measured) => string][] = [
    ['orders placed (ledger)', (m) => String(sum(m, 'orders'))],
    ['signal → last order acked, s', (m) => (last(m) / 1000).toFixed(2)],
    ...VENUE_NAMES.map((venue): [string, (m: Measured) => string] => [`  ${venue} last order, s`, (m) => ((m.lastByVenue[venue] ?? Number.NaN) / 1000).toFixed(2)]),
    ['÷ one process (a)', (m) => { const a = oneProcess(m); return a === undefined ? '-' : (last(m) / last(a)).toFixed(2); }],
    ['floor (limits + latency), s', (m) => (floor(m) / 1000).toFixed(2)],
    ['measured ÷ floor', (m) => (last(m) / floor(m)).toFixed(2)],
    ['order latency p50, ms', (m) => percentile(m.acks, 50).toFixed(0)],
    ['order latency p99, ms', (m) => percentile(m.acks, 99).toFixed(0)],
    ['requests per order', (m) => (sum(m, 'requests') / Math.max(1, sum(m, 'orders'))).toFixed(2)],
    ...VENUE_NAMES.map((venue): [string, (m: Measured) => string] => [`  ${venue}`, (m) => (m.byVenue[venue].requests / Math.max(1, m.byVenue[venue].orders)).toFixed(2)]),
    ['429 / 418 (Bybit 403) answers', (m) => String(sum(m, 'refused'))],
    ['largest worker peak RSS, MB', (m) => (m.workerPeakMb === undefined ? '-' : m.workerPeakMb.toFixed(0))],
    ['requests a second, signal mean:', () => ''],
    ...VENUE_NAMES.map((venue): [string, (m: Measured) => string] => [`  ${venue}`, (m) => ((m.byVenue[venue].requests * 1000) / (m.lastByVenue[venue] ?? Number.NaN)).toFixed(0)]),
    ['busiest window, all addresses:', () => ''],
    ...VENUE_NAMES.map((venue): [string, (m: Measured) => string] => [`  ${venue} (limit ${limits[venue]} per IP)`, (m) => String(m.busiest[venue])]),
  ];
  const headers = runs.map((m) => `${m.action} ${LABELS[m.config] ?? m.config}`);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const cell = Math.max(...headers.map((header) => header.length), ...runs.flatMap((m) => rows.map(([, value]) => value(m).length))) + 2;
  const lines = [''.padEnd(width) + headers.map((header) => header.padStart(cell)).join(''), ...rows.map(([label, value]) => label.padEnd(width) + runs.map((m) => value(m).padStart(cell)).join(''))];
  for (const m of runs) {
    lines.push(`${m.action} ${LABELS[m.config] ?? m.config}: ${m.note.trim()}; floor by venue: ${Object.entries(floorOf(m, latencyMs, m.addresses).byVenue).map(([venue, ms]) => `${venue} ${(ms / 1000).toFixed(2)} s`).join(', ')}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'copy-trader-scale-out-'));
  const sim = await startSimulator({ port: 0, catalogue: 'real', requestLogSize: 2_000_000 });
  try {
    const addresses = Array.from({ length: workerCount }, (_, index) => `127.0.0.${String(index + 2)}`);
    console.log(
      `scale-out: one signal each way to ${String(followerCount)} followers on binance, bybit, bitget round-robin; simulator budgets; ${String(latencyMs)} ms on every request; ` +
        `${String(workerCount)} workers × ${String(workerConcurrency)} jobs; Node ${process.version}`,
    );
    const runs: Measured[] = [];
    if (configs.has('a')) for (const action of ACTIONS) runs.push(await runOneProcess(sim, action, scratch));
    if (configs.has('b')) runs.push(...(await runQueued(sim, 'b', addresses.map(() => '127.0.0.2'), scratch)));
    if (configs.has('c')) runs.push(...(await runQueued(sim, 'c', addresses, scratch)));
    const ordered = ACTIONS.flatMap((action) => runs.filter((m) => m.action === action));
    console.log(table(ordered));
    if (ordered.some((m) => VENUE_NAMES.reduce((total, venue) => total + m.byVenue[venue].orders, 0) !== m.followers)) process.exitCode = 1;
  } finally {
    await sim.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
