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
