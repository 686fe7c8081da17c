/**
 * One signal (a spot market buy of 0.001 BTC) fanned out to 1,000 followers on the simulator with
 * the venues' real-scale catalogues and their real rate-limit budgets, beside a plain-ccxt baseline
 * (one ccxt instance per follower, each loading its own markets, all orders sent with Promise.all).
 * Each side runs in its own Node process (bench/fan-out-client.mjs), so its peak RSS is its own; the
 * simulator runs here and is reset between sides. Wall time includes initialisation (market loads)
 * but not the imports. 429s are counted in the simulator's request log.
 *
 * Plain ccxt keeps its own copy of every market (about 20 MB per instance here), so it runs on
 * `--baseline` followers (default 100) and xport on that many too, for a like-for-like ratio.
 *
 *   npx pnpm@10.34.9 --filter @xport/copy-trader run bench --followers 1000 --baseline 100
 *
 * The second table (`--table warm`, or both by default) times one signal alone, adapters warm (every
 * adapter initialised and the markets loaded before the clock starts), with 20 ms added by the
 * simulator to every request: a spot buy and a futures open to `--followers` followers, each run
 * as shipped (`tuned`) and as before (`baseline`: a price read per Bitget order, a connection pool
 * per adapter, 16 orders in flight per venue), in its own process (bench/fan-out-warm-client.mjs).
 * Beside each time it prints the floor: what the venues' published per-IP limits and the latency
 * allow for that many orders from one address (`floorOf` in bench/warm-signal.ts), and measured ÷
 * floor.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { Simulator } from '@xport/simulator';
import { LIFTED_BUDGETS, startSimulator } from '@xport/simulator';
import { VENUE_NAMES } from '@xport/venues';

import { percentile } from '../src/session-summary';

import type { WarmAction, WarmReport, VenueCounts } from './warm-signal';
import { floorOf, runWarm } from './warm-signal';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    followers: { type: 'string', default: '1000' },
    baseline: { type: 'string', default: '100' },
    'lift-budgets': { type: 'boolean', default: false },
    table: { type: 'string', default: 'both' },
    'latency-ms': { type: 'string', default: '20' },
  },
  strict: true,
});
const followerCount = Number(values.followers);
const baselineCount = Number(values.baseline);
const latencyMs = Number(values['latency-ms']);
const client = fileURLToPath(new URL('fan-out-client.mjs', import.meta.url));

interface ClientReport {
  readonly mode: 'xport' | 'ccxt';
  readonly accounts: number;
  readonly wallMs: number;
  readonly latencies: readonly number[];
  readonly failures: Readonly<Record<string, number>>;
  readonly maxRssKb: number;
}

interface SideReport extends ClientReport {
  readonly filled: number;
  readonly requests: number;
  readonly rateLimited: number;
}

function runClient(mode: string, file: string, url: string): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=12288', client, mode, file, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ClientReport);
      else reject(new Error(`${mode} client exited with ${String(code)}`));
    });
  });
}

async function runSide(sim: Simulator, mode: 'xport' | 'ccxt', count: number, scratch: string): Promise<SideReport> {
  sim.reset();
  const accounts = Array.from({ length: count }, (_, index) => {
    const venue = VENUE_NAMES[index % VENUE_NAMES.length] ?? 'binance';
    const account = sim.accounts.create({ venue, balances: { USDT: '100000' }, positionMode: 'oneway' });
    return { venue, apiKey: account.apiKey, secret: account.secret, passphrase: account.passphrase };
  });
  const file = join(scratch, `${mode}-${count}.json`);
  writeFileSync(file, JSON.stringify(accounts));
  const report = await runClient(mode, file, sim.url);
  const requests = sim.requests();
  return {
    ...report,
    filled: sim.ledger.orders().filter((order) => order.status === 'filled').length,
    requests: requests.length,
    rateLimited: requests.filter((entry) => entry.status === 429 || entry.status === 418).length,
  };
}

function table(sides: readonly SideReport[]): string {
  const rows: [string, (side: SideReport) => string][] = [
    ['followers', (side) => String(side.accounts)],
    ['filled orders (ledger)', (side) => String(side.filled)],
    ['failed', (side) => String(Object.values(side.failures).reduce((a, b) => a + b, 0))],
    ['wall (init + fan-out), s', (side) => (side.wallMs / 1000).toFixed(2)],
    ['order latency p50, ms', (side) => percentile(side.latencies, 50).toFixed(0)],
    ['order latency p99, ms', (side) => percentile(side.latencies, 99).toFixed(0)],
    ['peak RSS, MB', (side) => (side.maxRssKb / 1024).toFixed(0)],
    ['requests to the simulator', (side) => String(side.requests)],
    ['429 / 418 answers', (side) => String(side.rateLimited)],
  ];
  const headers = sides.map((side) => `${side.mode} × ${side.accounts}`);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const cell = Math.max(...headers.map((header) => header.length), ...sides.flatMap((side) => rows.map(([, value]) => value(side).length))) + 2;
  return [''.padEnd(width) + headers.map((header) => header.padStart(cell)).join(''), ...rows.map(([label, value]) => label.padEnd(width) + sides.map((side) => value(side).padStart(cell)).join(''))].join('\n');
}

function warmTable(reports: readonly WarmReport[]): string {
  const floors = new Map<WarmAction, ReturnType<typeof floorOf>>();
  for (const report of reports) if (report.mode === 'tuned') floors.set(report.action, floorOf(report, latencyMs));
  const floor = (report: WarmReport): number => floors.get(report.action)?.floorMs ?? Number.NaN;
  const sum = (report: WarmReport, field: keyof VenueCounts): number => VENUE_NAMES.reduce((total, venue) => total + report.byVenue[venue][field], 0);
  const rows: [string, (report: WarmReport) => string][] = [
    ['orders placed (ledger)', (report) => String(sum(report, 'orders'))],
    ['failed', (report) => String(Object.values(report.failures).reduce((a, b) => a + b, 0))],
    ['signal → last order acked, s', (report) => (report.signalToLastMs / 1000).toFixed(2)],
    ...VENUE_NAMES.map((venue): [string, (report: WarmReport) => string] => [`  ${venue} last order, s`, (report) => ((report.lastByVenue[venue] ?? Number.NaN) / 1000).toFixed(2)]),
    ['floor (limits + latency), s', (report) => (floor(report) / 1000).toFixed(2)],
    ['measured ÷ floor', (report) => (report.signalToLastMs / floor(report)).toFixed(2)],
    ['order latency p50, ms', (report) => percentile(report.latencies, 50).toFixed(0)],
    ['order latency p99, ms', (report) => percentile(report.latencies, 99).toFixed(0)],
    ['requests per order', (report) => (sum(report, 'requests') / Math.max(1, sum(report, 'orders'))).toFixed(2)],
    ...VENUE_NAMES.map((venue): [string, (report: WarmReport) => string] => [`  ${venue}`, (report) => (report.byVenue[venue].requests / Math.max(1, report.byVenue[venue].orders)).toFixed(2)]),
    ['429 / 418 (Bybit 403) answers', (report) => String(sum(report, 'refused'))],
  ];
  const headers = reports.map((report) => `${report.action} ${report.mode}`);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const cell = Math.max(...headers.map((header) => header.length), ...reports.flatMap((report) => rows.map(([, value]) => value(report).length))) + 2;
  const lines = [''.padEnd(width) + headers.map((header) => header.padStart(cell)).join(''), ...rows.map(([label, value]) => label.padEnd(width) + reports.map((report) => value(report).padStart(cell)).join(''))];
  for (const [action, { byVenue }] of floors) {
    lines.push(`floor of ${action} by venue: ${Object.entries(byVenue).map(([venue, ms]) => `${venue} ${(ms / 1000).toFixed(2)} s`).join(', ')}`);
  }
  return lines.join('\n');
}

async function warmSection(scratch: string): Promise<void> {
  // Real catalogues and the simulator's venue budgets, 20 ms on every request.
  const sim = await startSimulator({ port: 0, catalogue: 'real', requestLogSize: 1_000_000 });
  try {
    console.log(`signal → last order, adapters warm: ${String(followerCount)} followers on binance, bybit, bitget round-robin; simulator budgets; ${String(latencyMs)} ms on every request; Node ${process.version}`);
    const reports: WarmReport[] = [];
    for (const action of ['spotBuy', 'futuresLong'] as const) {
      for (const mode of ['baseline', 'tuned'] as const) reports.push(await runWarm(sim, followerCount, action, mode, scratch, latencyMs));
    }
    console.log(warmTable(reports));
    for (const report of reports) {
      if (Object.keys(report.failures).length > 0) console.log(`${report.action} ${report.mode} failures: ${JSON.stringify(report.failures)}`);
    }
    if (reports.some((report) => report.placed !== report.followers)) process.exitCode = 1;
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'copy-trader-bench-'));
  if (values.table !== 'init') {
    try {
      await warmSection(scratch);
    } finally {
      if (values.table === 'warm') rmSync(scratch, { recursive: true, force: true });
    }
    if (values.table === 'warm') return;
  }
  // Real catalogues and the simulator's venue budgets: the point is to stay inside them.
  // `--lift-budgets` takes them out of the way, to compare speed alone.
  const lifted = values['lift-budgets'];
  const budgets = lifted ? { budgets: LIFTED_BUDGETS } : {};
  const sim = await startSimulator({ port: 0, catalogue: 'real', requestLogSize: 1_000_000, ...budgets });
  try {
    console.log(`fan-out: one spot buy to followers on binance, bybit, bitget round-robin; real catalogues, ${lifted ? 'budgets lifted' : 'simulator budgets'}; Node ${process.version}`);
    const full = await runSide(sim, 'xport', followerCount, scratch);
    const subset = await runSide(sim, 'xport', baselineCount, scratch);
    const baseline = await runSide(sim, 'ccxt', baselineCount, scratch);
    console.log(table([full, subset, baseline]));
    console.log(`xport / ccxt at ${baselineCount} followers: wall ${(subset.wallMs / baseline.wallMs).toFixed(3)}×, peak RSS ${(subset.maxRssKb / baseline.maxRssKb).toFixed(3)}×`);
    for (const side of [full, subset, baseline]) {
      if (Object.keys(side.failures).length > 0) console.log(`${side.mode} × ${side.accounts} failures: ${JSON.stringify(side.failures)}`);
    }
    if (full.filled !== full.accounts || full.rateLimited > 0) process.exitCode = 1;
  } finally {
    await sim.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
