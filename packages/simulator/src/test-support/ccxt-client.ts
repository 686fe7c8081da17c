import ccxt, { type Exchange } from 'ccxt';
import type { Account, VenueName } from '../contract';
import type { Simulator } from '../start-simulator';

const HOST = /^https?:\/\/[^/]+/;

/**
 * Rewrites every URL in a ccxt `urls.api` tree (strings and nested objects) so that
 * `https://<any host>/<path>` becomes `<base>/<path>`; ccxt's `{hostname}` placeholders go with the host.
 */
export function rewriteApiUrls(api: unknown, base: string): unknown {
  if (typeof api === 'string') return api.replace(HOST, base);
  if (Array.isArray(api)) return api.map((value) => rewriteApiUrls(value, base));
  if (typeof api === 'object' && api !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(api)) out[key] = rewriteApiUrls(value, base);
    return out;
  }
  return api;
}

export type CcxtClient = Exchange;

const WS_HOST = /^wss?:\/\/[^/]+/;

/**
 * Rewrites every WebSocket URL (`ws://` or `wss://`, port included) in a ccxt `urls.api` tree to
 * `<wsBase>/<path>`, e.g. `wss://fstream.binance.com/ws` → `ws://127.0.0.1:<port>/binance/ws`.
 * HTTP URLs are left alone.
 */
export function rewriteWsUrls(api: unknown, wsBase: string): unknown {
  if (typeof api === 'string') return api.replace(WS_HOST, wsBase);
  if (Array.isArray(api)) return api.map((value) => rewriteWsUrls(value, wsBase));
  if (typeof api === 'object' && api !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(api)) out[key] = rewriteWsUrls(value, wsBase);
    return out;
  }
  return api;
}

export type CcxtProClient = InstanceType<(typeof ccxt.pro)['binance']> | InstanceType<(typeof ccxt.pro)['bybit']> | InstanceType<(typeof ccxt.pro)['bitget']>;

/**
 * The pinned, unmodified ccxt pro class of `venue`, pointed at the simulator: REST hosts go to
 * `<sim.url>/<venue>`, WebSocket hosts to `ws://<sim host>/<venue>`, paths kept. ccxt opens plain
 * `ws://` URLs only with its HTTP agent loaded (`loadHttpProxyAgent()`), so this loads it. The
 * caller closes the client.
 */
export async function createCcxtProClient(
  venue: VenueName,
  sim: Pick<Simulator, 'url'>,
  account?: Pick<Account, 'apiKey' | 'secret' | 'passphrase'>,
  overrides: Record<string, unknown> = {},
): Promise<Exchange> {
  const ExchangeClass = ccxt.pro[venue];
  const client: Exchange = new ExchangeClass({
    enableRateLimit: false,
    ...(account ? { apiKey: account.apiKey, secret: account.secret } : {}),
    ...(account?.passphrase === undefined ? {} : { password: account.passphrase }),
    ...overrides,
  });
  const urls = client.urls as { api: unknown };
  urls.api = rewriteWsUrls(rewriteApiUrls(urls.api, `${sim.url}/${venue}`), `${sim.url.replace(/^http/, 'ws')}/${venue}`);
  await client.loadHttpProxyAgent();
  return client;
}

/**
 * The pinned, unmodified ccxt class of `venue`, pointed at the simulator: only the hosts of
 * `urls.api` change (to `<sim.url>/<venue>`). ccxt's own request throttle is off so tests run at
 * full speed (the simulator's rate limits still apply); `overrides` go to the constructor last,
 * e.g. `{ timeout: 500 }` or `{ options: { defaultType: 'swap' } }`.
 */
export function createCcxtClient(
  venue: VenueName,
  sim: Pick<Simulator, 'url'>,
  account?: Pick<Account, 'apiKey' | 'secret' | 'passphrase'>,
  overrides: Record<string, unknown> = {},
): CcxtClient {
  const ExchangeClass = ccxt[venue];
  const client: Exchange = new ExchangeClass({
    enableRateLimit: false,
    ...(account ? { apiKey: account.apiKey, secret: account.secret } : {}),
    ...(account?.passphrase === undefined ? {} : { password: account.passphrase }),
    ...overrides,
  });
  const urls = client.urls as { api: unknown };
  urls.api = rewriteApiUrls(urls.api, `${sim.url}/${venue}`);
  return client;
}

/**
 * Makes `client` sign with the simulator's clock instead of the wall clock, by keeping ccxt's own
 * `timeDifference` option equal to the gap between the two. A test can then run the simulator on a
 * manual clock that moves only when told (rate-limit windows that roll only on `advance`) and still
 * pass every signature's timestamp check.
 */
export function signWithSimulatorClock(client: CcxtClient, sim: Pick<Simulator, 'clock'>): CcxtClient {
  Object.defineProperty(client.options, 'timeDifference', {
    configurable: true,
    enumerable: true,
    get: () => Date.now() - sim.clock.now(),
    // ccxt's own clock sync writes here; the simulator's clock stays the reference.
    set: () => undefined,
  });
  return client;
}

/**
 * Sends every request of `client` from the local address `address` (e.g. `127.0.0.2`), as a host
 * behind that egress address would: ccxt's own keep-alive dispatcher, with undici's `localAddress`. Linux routes all of 127.0.0.0/8 to the loopback interface, so such a client
 * reaches a simulator listening on 127.0.0.1.
 */
export async function bindToAddress(client: CcxtClient, address: string): Promise<CcxtClient> {
  const transport = client as unknown as {
    loadFetchImplementation(): Promise<unknown>;
    getDispatcherOptions(isPlainAgent: boolean): Record<string, unknown>;
    undiciModule?: { Agent: new (options: Record<string, unknown>) => unknown };
    fetchDispatcher: unknown;
  };
  await transport.loadFetchImplementation();
  if (transport.undiciModule === undefined) throw new Error('ccxt did not load undici; cannot bind a local address');
  transport.fetchDispatcher = new transport.undiciModule.Agent({ ...transport.getDispatcherOptions(true), localAddress: address });
  return client;
}

/**
 * Attaches a no-op handler to every promise ccxt pro keeps open on `client`'s WebSocket connections.
 * ccxt rejects all of them when a connection drops, including ones nobody awaits (its own
 * bookkeeping), which Node reports as unhandled; a test that drops connections on purpose calls
 * this first. The promises the test awaits still reject for it.
 */
export function hearStreamFailures(client: Exchange): void {
  for (const wsClient of Object.values(client.clients as Record<string, { futures?: Record<string, Promise<unknown>> }>)) {
    for (const future of Object.values(wsClient.futures ?? {})) future.catch(() => undefined);
  }
}
