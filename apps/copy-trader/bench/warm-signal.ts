/**
 * One signal timed alone, adapters warm, against the venues' floor: shared by bench/fan-out.ts
 * (`--table warm`, one process) and bench/scale-out.ts (serve and workers on one or more egress
 * addresses). The floor is defined once, here (`floorOf`).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { RequestLogEntry, Simulator } from '@xport/simulator';
import { VENUE_NAMES } from '@xport/venues';
import type { VenueName } from '@xport/venues';

export type WarmAction = 'spotBuy' | 'futuresLong';
export type WarmMode = 'baseline' | 'tuned';

const warmClient = fileURLToPath(new URL('fan-out-warm-client.mjs', import.meta.url));

export interface WarmClientReport {
  readonly signalToLastMs: number;
  readonly lastByVenue: Readonly<Record<string, number>>;
  readonly latencies: readonly number[];
  readonly failures: Readonly<Record<string, number>>;
  readonly placed: number;
}

export interface VenueCounts {
  readonly orders: number;
  readonly requests: number;
  readonly refused: number;
}

export interface WarmReport extends WarmClientReport {
  readonly action: WarmAction;
  readonly mode: WarmMode;
  readonly followers: number;
  readonly byVenue: Readonly<Record<VenueName, VenueCounts>>;
}

/** The simulator's answers that mean "over a limit": Binance's 429 and 418 ban, Bitget's 429, Bybit's 403 "access too frequent" (its IP limit). */
export function isRefusal(venue: VenueName, entry: RequestLogEntry): boolean {
  return entry.status === 429 || entry.status === 418 || (venue === 'bybit' && entry.status === 403);
}

/** Requests and refusals per venue in `requests`, beside the orders the ledger gained (`orders`). */
export function countByVenue(requests: readonly RequestLogEntry[], orders: (venue: VenueName) => number): Record<VenueName, VenueCounts> {
  return Object.fromEntries(
    VENUE_NAMES.map((venue): [VenueName, VenueCounts] => {
      const mine = requests.filter((entry) => entry.exchange === venue);
      return [venue, { orders: orders(venue), requests: mine.length, refused: mine.filter((entry) => isRefusal(venue, entry)).length }];
    }),
  ) as Record<VenueName, VenueCounts>;
}

/**
 * The venues' published per-IP request limits (the simulator's defaults; FIDELITY.md gives the
 * sources), as the time `requests` sent from one address need at the least: Binance counts weight
 * per minute (6,000 spot, 2,400 USDⓈ-M; orders, leverage changes and the lookups here weigh 1 or
 * so, so a request is counted as 1), Bybit 600 requests in any 5 s, Bitget 6,000 a minute. Per-UID
 * limits do not bind: each follower places one order.
 */
export function budgetFloorMs(venue: VenueName, action: WarmAction, requests: number): number {
  const windowed = (limit: number, windowMs: number): number => Math.floor(Math.max(0, requests - 1) / limit) * windowMs;
  switch (venue) {
    case 'binance':
      return windowed(action === 'spotBuy' ? 6_000 : 2_400, 60_000);
    case 'bybit':
      return windowed(600, 5_000);
    case 'bitget':
      return windowed(6_000, 60_000);
  }
}

/** What a floor is computed from: a run's requests and orders per venue. */
export interface FloorInput {
  readonly action: WarmAction;
  readonly byVenue: Readonly<Record<VenueName, VenueCounts>>;
}

/**
 * The floor of one signal's fan-out from `addresses` egress addresses: per venue, the published
 * per-IP limits' wait for the fewest requests the orders need (`run`'s count, spread evenly over the
 * addresses) plus one latency per request of one order's chain (its requests go one after another: a
 * Bitget spot buy's shared price read, the order, its read-back); the signal's floor is the slowest
 * venue's. Unlimited concurrency is assumed: anything above it is the client's.
 */
export function floorOf(run: FloorInput, latencyMs: number, addresses = 1): { readonly floorMs: number; readonly byVenue: Readonly<Record<string, number>> } {
  const byVenue: Record<string, number> = {};
  for (const venue of VENUE_NAMES) {
    const counts = run.byVenue[venue];
    if (counts.orders === 0) continue;
    const chain = Math.ceil(counts.requests / counts.orders);
    byVenue[venue] = budgetFloorMs(venue, run.action, Math.ceil(counts.requests / addresses)) + chain * latencyMs;
  }
  return { floorMs: Math.max(...Object.values(byVenue)), byVenue };
}

function runWarmClient(file: string, url: string, action: WarmAction, mode: WarmMode, onReady: () => void): Promise<WarmClientReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=12288', warmClient, file, url, action, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (line === '') continue;
        const message = JSON.parse(line) as { ready?: boolean } & WarmClientReport;
        if (message.ready === true) {
          onReady();
          child.stdin.write('go\n');
        } else {
          resolve(message);
        }
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`warm ${action} ${mode} client exited with ${String(code)}`));
    });
  });
}

/**
 * One signal to `count` fresh simulator accounts round-robin over the venues, in one process
 * (bench/fan-out-warm-client.mjs), every adapter initialised before the clock starts, `latencyMs` on
 * every request. The report also carries `requests`: the simulator's log of the signal alone, and
 * `startedAt`, the instant (simulator clock) the signal was given.
 */
export async function runWarm(
  sim: Simulator,
  count: number,
  action: WarmAction,
  mode: WarmMode,
  scratch: string,
  latencyMs: number,
): Promise<WarmReport & { readonly requests: readonly RequestLogEntry[]; readonly startedAt: number }> {
  sim.reset();
  sim.faults.add({ kind: 'latency', ms: latencyMs });
  const accounts = Array.from({ length: count }, (_, index) => {
    const venue = VENUE_NAMES[index % VENUE_NAMES.length] ?? 'binance';
    const account = sim.accounts.create({ venue, balances: { USDT: '100000' }, futuresBalances: { USDT: '100000' }, positionMode: 'oneway' });
    return { venue, apiKey: account.apiKey, secret: account.secret, passphrase: account.passphrase };
  });
  const file = join(scratch, `warm-${action}-${mode}-${String(count)}.json`);
  writeFileSync(file, JSON.stringify(accounts));
  let mark = 0;
  let startedAt = 0;
  const report = await runWarmClient(file, sim.url, action, mode, () => {
    mark = sim.requests().length;
    startedAt = Date.now();
  });
  const requests = sim.requests().slice(mark);
  const byVenue = countByVenue(requests, (venue) => sim.ledger.orders({ venue }).length);
  return { ...report, action, mode, followers: count, byVenue, requests, startedAt };
}
