// One side of bench/fan-out.ts, in its own process so that its peak RSS is its own. Prints one JSON line.
//   node bench/fan-out-client.mjs <xport|ccxt> <accounts.json> <simulator url>
// xport: the copy-trader engine as shipped (createFollowers + FanOut.copySignal, default limits).
// ccxt:  the naive baseline: one ccxt instance per follower, each loading its
//        own markets, every order sent at once with Promise.all.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { benchFollowers } from './bench-followers.mjs';

const [mode, accountsFile, url] = process.argv.slice(2);
const accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
const QUANTITY = '0.001';
const PRICE = '65000';
// Both sides wait this long: a hundred ccxt instances parsing real-scale catalogues at once keep
// both cores busy for many seconds, and the point is to measure them, not to time them out.
const TIMEOUT_MS = 120_000;

function failureKey(error) {
  // Numbers (times, ids) stripped, so that a thousand alike failures count as one kind.
  return `${String(error?.name ?? 'Error')}: ${String(error?.message ?? error).slice(0, 120)}`.replace(/\d+/g, 'N');
}

async function xportSide() {
  const { createFollowers, FanOut, DEFAULT_LIMITS } = await import('../dist/index.mjs');
  const { Decimal } = await import('@xport/core');
  const { configs, env, baseUrls } = benchFollowers(accounts, url, Decimal);
  const followers = createFollowers(configs, { env, baseUrls, extra: { timeoutMs: TIMEOUT_MS } });
  const signal = { id: 'bench-1', action: 'spotBuy', symbol: 'BTCUSDT', quantity: new Decimal(QUANTITY), price: new Decimal(PRICE), masterEquity: new Decimal(100000) };
  const results = await new FanOut(DEFAULT_LIMITS).copySignal(signal, followers);
  const finished = performance.now();
  await Promise.all(followers.map((follower) => follower.port.close()));
  const failures = {};
  for (const result of results) {
    if (result.status === 'placed') continue;
    const key = (result.reason ?? result.status).replace(/\d+/g, 'N');
    failures[key] = (failures[key] ?? 0) + 1;
  }
  return { finished, latencies: results.flatMap((result) => (result.latencyMs === undefined ? [] : [result.latencyMs])), failures };
}

async function ccxtSide() {
  const { default: ccxt } = await import('ccxt');
  // The same host rewrite xport's adapters use for baseUrl (it loads no ccxt code of its own).
  const { rewriteHosts: rewrite } = await import('@xport/ccxt/internal');
  const failures = {};
  const latencies = [];
  await Promise.all(
    accounts.map(async (account) => {
      try {
        const client = new ccxt[account.venue]({
          apiKey: account.apiKey,
          secret: account.secret,
          ...(account.passphrase === undefined ? {} : { password: account.passphrase }),
          timeout: TIMEOUT_MS,
          // A signed request may wait in a busy queue longer than ccxt's default window.
          options: { recvWindow: 60_000 },
        });
        client.urls.api = rewrite(client.urls.api, `${url}/${account.venue}`);
        await client.loadMarkets();
        const sent = performance.now();
        await client.createOrder('BTC/USDT', 'market', 'buy', Number(QUANTITY), Number(PRICE));
        latencies.push(performance.now() - sent);
      } catch (error) {
        failures[failureKey(error)] = (failures[failureKey(error)] ?? 0) + 1;
      }
    }),
  );
  return { finished: performance.now(), latencies, failures };
}

const started = performance.now();
const side = mode === 'xport' ? await xportSide() : await ccxtSide();
console.log(JSON.stringify({ mode, accounts: accounts.length, wallMs: side.finished - started, latencies: side.latencies, failures: side.failures, maxRssKb: process.resourceUsage().maxRSS }));
