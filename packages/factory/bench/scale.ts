/**
 * A thousand accounts: xport against plain ccxt, in the same run, against one simulator with the
 * venues' real-scale catalogues (Binance 3,500 markets, Bybit 1,200, Bitget 1,300).
 *
 * Each side runs in its own Node process (bench/scale-client.mjs) so its peak RSS is its own; the
 * simulator runs here, so each side gets a core. A side creates one client per account (the venues
 * whose xport package is installed, mixed round-robin), initialises them all (at most
 * `--concurrency` at a time), then places one spot market buy of 0.001 BTC on each. The simulator is
 * reset between sides. Market requests are counted in the simulator's request log.
 *
 * Plain ccxt loads every instance's markets itself, which costs tens of MB per instance with these
 * catalogues, so it runs on `--baseline-accounts` accounts (default 100) and xport runs on that same
 * subset too, for a like-for-like ratio, as well as on the full `--accounts`.
 *
 *   npx pnpm@10.34.9 --filter @xport/factory run bench:scale -- --accounts 1000 --baseline-accounts 100
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { ALL_VENUES, LIFTED_BUDGETS, startSimulator } from '@xport/simulator';
import type { Simulator, VenueName } from '@xport/simulator';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '1000' },
    'baseline-accounts': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '50' },
  },
  strict: true,
});
const accountCount = Number(values.accounts);
const baselineCount = Number(values['baseline-accounts']);
const concurrency = Number(values.concurrency);
const packageDir = join(__dirname, '..');
const client = join(__dirname, 'scale-client.mjs');

type Venue = VenueName;
type Mode = 'xport' | 'ccxt';

/** Requests that fetch market or currency metadata (what loadMarkets and xport's leverage table send). */
const MARKET_REQUEST =
  /\/(exchangeInfo|margin\/allPairs|margin\/isolated\/allPairs|capital\/config\/getall|leverageBracket|market\/instruments-info|asset\/coin\/query-info|market\/risk-limit|public\/coins|public\/symbols|margin\/currencies|market\/contracts|market\/query-position-lever)$/;
const ORDER_REQUEST = /\/(api\/v3\/order|fapi\/v1\/order|v5\/order\/create|trade\/place-order|order\/place-order)$/;

/** The venues whose xport package is linked among the factory's dev dependencies and built. */
function installedVenues(): Venue[] {
  return ALL_VENUES.map((venue) => venue.name).filter((venue) => existsSync(join(packageDir, 'node_modules', '@xport', venue, 'dist', 'index.mjs')));
}

interface ClientReport {
  readonly mode: Mode;
  readonly accounts: number;
  readonly initMs: number;
  readonly orderMs: number;
  readonly wallMs: number;
  readonly maxRssKb: number;
  readonly initFailures: Readonly<Record<string, number>>;
  readonly orderFailures: Readonly<Record<string, number>>;
  readonly marketLoads: Readonly<Record<string, number>> | undefined;
}

interface SideReport extends ClientReport {
  readonly processMs: number;
  readonly requests: Readonly<Record<Venue, { readonly market: number; readonly orders: number; readonly other: number }>>;
  readonly filled: number;
  /** The requests that are neither market data nor order placement, by method and path. */
  readonly otherPaths: Readonly<Record<string, number>>;
}

function runClient(mode: Mode, accountsFile: string, url: string): Promise<{ report: ClientReport; processMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--max-old-space-size=12288', client, mode, accountsFile, url, String(concurrency)], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${mode} client exited with ${String(code)}`));
        return;
      }
      resolve({ report: JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ClientReport, processMs: performance.now() - started });
    });
  });
}

async function runSide(sim: Simulator, mode: Mode, count: number, venues: readonly Venue[], scratch: string): Promise<SideReport> {
  sim.reset();
  const accounts = Array.from({ length: count }, (_, index) => {
    const venue = venues[index % venues.length];
    if (venue === undefined) throw new Error('no venue package is built');
    const account = sim.accounts.create({ venue, balances: { USDT: '100000' } });
    return { venue, apiKey: account.apiKey, secret: account.secret, passphrase: account.passphrase };
  });
  const file = join(scratch, `${mode}-${count}.json`);
  writeFileSync(file, JSON.stringify(accounts));
  const { report, processMs } = await runClient(mode, file, sim.url);
  const requests = Object.fromEntries(
    venues.map((venue) => {
      const paths = sim.requests({ exchange: venue }).map((entry) => entry.path);
      const market = paths.filter((path) => MARKET_REQUEST.test(path)).length;
      const orders = paths.filter((path) => ORDER_REQUEST.test(path)).length;
      return [venue, { market, orders, other: paths.length - market - orders }];
    }),
  ) as SideReport['requests'];
  const filled = sim.ledger.orders().filter((order) => order.status === 'filled').length;
  const otherPaths: Record<string, number> = {};
  for (const entry of sim.requests()) {
    if (MARKET_REQUEST.test(entry.path) || ORDER_REQUEST.test(entry.path)) continue;
    const key = `${entry.method} ${entry.path}`;
    otherPaths[key] = (otherPaths[key] ?? 0) + 1;
  }
  return { ...report, processMs, requests, filled, otherPaths };
}

function sum(report: SideReport, field: 'market' | 'orders' | 'other'): number {
  return Object.values(report.requests).reduce((total, venue) => total + venue[field], 0);
}

function table(sides: readonly SideReport[], venues: readonly Venue[]): string {
  const columns: [string, (side: SideReport) => string][] = [
    ['accounts', (side) => String(side.accounts)],
    ['filled orders (ledger)', (side) => String(side.filled)],
    ['market requests', (side) => String(sum(side, 'market'))],
    ...venues.map((venue): [string, (side: SideReport) => string] => [`  of which ${venue}`, (side) => String(side.requests[venue].market)]),
    ['order requests', (side) => String(sum(side, 'orders'))],
    ['other requests', (side) => String(sum(side, 'other'))],
    ['initialise all, s', (side) => (side.initMs / 1000).toFixed(2)],
    ['one order each, s', (side) => (side.orderMs / 1000).toFixed(2)],
    ['wall (init + orders), s', (side) => (side.wallMs / 1000).toFixed(2)],
    ['process wall (with imports), s', (side) => (side.processMs / 1000).toFixed(2)],
    ['peak RSS, MB', (side) => (side.maxRssKb / 1024).toFixed(0)],
    ['peak RSS per account, MB', (side) => (side.maxRssKb / 1024 / side.accounts).toFixed(2)],
  ];
  const headers = sides.map((side) => `${side.mode} × ${side.accounts}`);
  const width = Math.max(...columns.map(([label]) => label.length)) + 2;
  const cell = Math.max(...sides.flatMap((side) => columns.map(([, value]) => value(side).length)), ...headers.map((h) => h.length)) + 2;
  const lines = [''.padEnd(width) + headers.map((header) => header.padStart(cell)).join('')];
  for (const [label, value] of columns) lines.push(label.padEnd(width) + sides.map((side) => value(side).padStart(cell)).join(''));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const venues = installedVenues();
  const scratch = mkdtempSync(join(tmpdir(), 'xport-scale-'));
  const sim = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    catalogue: 'real',
    budgets: LIFTED_BUDGETS,
    requestLogSize: 1_000_000,
  });
  try {
    console.log(`scale: venues ${venues.join(', ')} mixed round-robin; concurrency ${concurrency}; Node ${process.version}`);
    const full = await runSide(sim, 'xport', accountCount, venues, scratch);
    const subset = baselineCount === accountCount ? full : await runSide(sim, 'xport', baselineCount, venues, scratch);
    const baseline = await runSide(sim, 'ccxt', baselineCount, venues, scratch);
    const sides = subset === full ? [full, baseline] : [full, subset, baseline];
    console.log(table(sides, venues));
    const ratio = (of: (side: SideReport) => number): string => (of(subset) / of(baseline)).toFixed(3);
    console.log(
      `xport / ccxt at ${baselineCount} accounts: wall ${ratio((side) => side.wallMs)}×, peak RSS ${ratio((side) => side.maxRssKb)}×, ` +
        `market requests ${ratio((side) => sum(side, 'market'))}×`,
    );
    if (baselineCount < accountCount) {
      const scale = accountCount / baselineCount;
      console.log(
        `plain ccxt × ${accountCount}, extrapolated linearly from × ${baselineCount} (not measured): ~${((baseline.maxRssKb * scale) / 1024 / 1024).toFixed(1)} GB peak RSS, ` +
          `~${sum(baseline, 'market') * scale} market requests`,
      );
    }
    for (const side of sides) {
      console.log(`${side.mode} × ${side.accounts}: other requests ${JSON.stringify(side.otherPaths)}`);
      if (side.marketLoads !== undefined) console.log(`xport × ${side.accounts}: market loads per venue (VenueRuntime.marketLoads) ${JSON.stringify(side.marketLoads)}`);
      const failures = { ...side.initFailures, ...side.orderFailures };
      if (Object.keys(failures).length > 0) {
        console.log(`${side.mode} × ${side.accounts} failures: ${JSON.stringify(failures)}`);
        process.exitCode = 1;
      }
      if (side.filled !== side.accounts) process.exitCode = 1;
    }
    // One set of market requests per venue, whatever the number of accounts.
    const sets = [full, subset].map((side) => JSON.stringify([side.marketLoads, venues.map((venue) => side.requests[venue].market)]));
    if (Object.values(full.marketLoads ?? {}).some((loads) => loads !== 1) || sets[0] !== sets[1]) {
      console.log(`xport sent more than one set of market requests per venue: ${sets.join(' vs ')}`);
      process.exitCode = 1;
    }
  } finally {
    await sim.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
