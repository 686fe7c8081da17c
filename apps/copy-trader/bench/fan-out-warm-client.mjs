// One side of bench/fan-out.ts's signal → last order table, in its own process. Prints JSON lines:
// {"ready":true} once every adapter is initialised (markets loaded), then waits for a line on stdin
// (the parent marks the simulator's request log), sends the signal, and prints the report.
//   node bench/fan-out-warm-client.mjs <accounts.json> <simulator url> <spotBuy|futuresLong> <tuned|baseline>
// tuned:    this app as shipped (shared price read, one keep-alive pool per venue host, in-flight
//           orders per venue from its budget).
// baseline: the same engine as it was: a price read per order (priceMaxAgeMs 0), a pool per
//           adapter (sharedConnections false), 16 orders in flight per venue.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

import { benchFollowers } from './bench-followers.mjs';

const [accountsFile, url, action, mode] = process.argv.slice(2);
const accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
const TIMEOUT_MS = 120_000;

const { createFollowers, FanOut, DEFAULT_LIMITS } = await import('../dist/index.mjs');
const { Decimal } = await import('@xport/core');

const { configs, env, baseUrls } = benchFollowers(accounts, url, Decimal);
const tuned = mode === 'tuned';
const extra = tuned ? { timeoutMs: TIMEOUT_MS } : { timeoutMs: TIMEOUT_MS, priceMaxAgeMs: 0, sharedConnections: false };
const followers = createFollowers(configs, { env, baseUrls, extra });
const limits = tuned ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, perVenue: 16 };

// Warm: every adapter initialised (one market load per venue), nothing else sent.
for (let start = 0; start < followers.length; start += 50) await Promise.all(followers.slice(start, start + 50).map((follower) => follower.port.initialize()));
console.log(JSON.stringify({ ready: true }));
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));

const signal =
  action === 'spotBuy'
    ? { id: 'bench-spot', action: 'spotBuy', symbol: 'BTCUSDT', quantity: new Decimal('0.001'), price: new Decimal('65000'), masterEquity: new Decimal(100000) }
    : // 0.002 BTC: Binance USDⓈ-M refuses orders under 100 USDT.
      { id: 'bench-futures', action: 'futuresLong', symbol: 'BTCUSDT', quantity: new Decimal('0.002'), price: new Decimal('65000'), masterEquity: new Decimal(100000), leverage: 5 };
const lastByVenue = {};
const started = performance.now();
const results = await new FanOut(limits).copySignal(signal, followers, {
  onFollowerDone: (result) => {
    lastByVenue[result.exchange] = performance.now() - started;
  },
});
const signalToLastMs = performance.now() - started;
await Promise.all(followers.map((follower) => follower.port.close()));
const failures = {};
for (const result of results) {
  if (result.status === 'placed') continue;
  const key = (result.reason ?? result.status).replace(/\d+/g, 'N');
  failures[key] = (failures[key] ?? 0) + 1;
}
const latencies = results.flatMap((result) => (result.latencyMs === undefined ? [] : [result.latencyMs]));
console.log(JSON.stringify({ signalToLastMs, lastByVenue, latencies, failures, placed: results.filter((result) => result.status === 'placed').length }));
process.exit(0);
