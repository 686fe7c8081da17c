// One side of bench/scale.ts, in its own process so that its peak RSS is its own: either xport
// adapters created through the factory (`xport`) or plain ccxt instances (`ccxt`), one per account,
// each initialised and then placing one spot market buy. Prints one JSON line.
//
//   node bench/scale-client.mjs <xport|ccxt> <accounts.json> <simulator url> <concurrency>
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [mode, accountsFile, url, concurrencyText] = process.argv.slice(2);
const accounts = JSON.parse(readFileSync(accountsFile, 'utf8'));
const concurrency = Number(concurrencyText);
const SYMBOL = 'BTCUSDT';
const QUANTITY = '0.001';
// Plain ccxt wants a price to size Bybit's and Bitget's spot market buys (they are in quote).
const PRICE = 65000;
// Both sides wait this long for an answer: fifty plain ccxt instances loading real-scale catalogues
// at once keep both cores busy for seconds, and the point is to measure them, not to time them out.
const TIMEOUT_MS = 120_000;
// For the same reason a signed request may wait in the simulator's queue longer than ccxt's default
// window (Binance 10 s, Bybit 5 s); 60 s is the most Binance and Bybit accept.
const RECV_WINDOW_MS = 60_000;

/** Runs `work` on every item with at most `limit` in flight; counts failures by message. */
async function inPool(items, limit, work) {
  const failures = {};
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        await work(items[index], index);
      } catch (error) {
        const key = String(error?.name ?? 'Error') + ': ' + String(error?.message ?? error).slice(0, 160);
        failures[key] = (failures[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failures;
}

async function xportSide() {
  const { ExchangeFactory } = await import('@xport/factory');
  const { Decimal } = await import('@xport/core');
  const venues = [...new Set(accounts.map((account) => account.venue))];
  const descriptors = await Promise.all(venues.map(async (venue) => (await import(`@xport/${venue}`))[venue]));
  const factory = new ExchangeFactory(descriptors);
  const ports = new Array(accounts.length);
  const quantity = new Decimal(QUANTITY);
  return {
    initialise: () =>
      inPool(accounts, concurrency, async (account, index) => {
        const port = factory.createExchange({
          exchange: account.venue,
          apiKey: account.apiKey,
          apiSecret: account.secret,
          passphrase: account.passphrase,
          baseUrl: `${url}/${account.venue}`,
          // Known from the account's settings; discovery costs Binance 30 weight per account.
          positionMode: 'oneway',
          extra: { timeoutMs: TIMEOUT_MS },
        });
        await port.initialize();
        ports[index] = port;
      }),
    order: () => inPool(ports, concurrency, (port, index) => port.executeSpotBuy(SYMBOL, quantity, { idempotencyKey: `scale-${index}` })),
    marketLoads: async () => {
      const { VenueRuntimeRegistry } = await import('@xport/ccxt');
      return Object.fromEntries(VenueRuntimeRegistry.process.runtimes().map((runtime) => [runtime.profile.id, runtime.marketLoads]));
    },
  };
}

async function ccxtSide() {
  const { default: ccxt } = await import('ccxt');
  // The same host rewrite xport's adapters use for baseUrl (it loads no ccxt code of its own).
  const { rewriteHosts: rewrite } = await import('@xport/ccxt');
  const clients = new Array(accounts.length);
  return {
    initialise: () =>
      inPool(accounts, concurrency, async (account, index) => {
        const client = new ccxt[account.venue]({
          apiKey: account.apiKey,
          secret: account.secret,
          ...(account.passphrase === undefined ? {} : { password: account.passphrase }),
          enableRateLimit: false,
          timeout: TIMEOUT_MS,
          options: { recvWindow: RECV_WINDOW_MS },
        });
        client.urls.api = rewrite(client.urls.api, `${url}/${account.venue}`);
        await client.loadMarkets();
        clients[index] = client;
      }),
    order: () => inPool(clients, concurrency, (client) => client.createOrder('BTC/USDT', 'market', 'buy', Number(QUANTITY), PRICE)),
    marketLoads: async () => undefined,
  };
}

const side = mode === 'xport' ? await xportSide() : await ccxtSide();
const started = performance.now();
const initFailures = await side.initialise();
const initialised = performance.now();
const orderFailures = await side.order();
const finished = performance.now();
console.log(
  JSON.stringify({
    mode,
    accounts: accounts.length,
    initMs: initialised - started,
    orderMs: finished - initialised,
    wallMs: finished - started,
    maxRssKb: process.resourceUsage().maxRSS,
    initFailures,
    orderFailures,
    marketLoads: await side.marketLoads(),
  }),
);
