import ccxt, { type bitget as BitgetClient, type Exchange, type Order } from 'ccxt';
import { expect } from 'vitest';
import type { Account } from '../contract';
import type { Simulator } from '../start-simulator';
import { createCcxtClient } from './ccxt-client';

export type { BitgetClient };

/**
 * What the Bitget tests share. ccxt's loadMarkets spends 6 of the contracts endpoint's 20 public
 * requests a second per IP (one per product type), so tests load the markets once per simulator
 * and hand them to every further client, as a process driving many accounts should.
 */
const sharedMarkets = new WeakMap<Simulator, Promise<BitgetClient>>();

function loadedPublicClient(sim: Simulator): Promise<BitgetClient> {
  let loaded = sharedMarkets.get(sim);
  if (!loaded) {
    const client = asBitget(createCcxtClient('bitget', sim));
    loaded = client.loadMarkets().then(() => client);
    sharedMarkets.set(sim, loaded);
  }
  return loaded;
}

/**
 * An unmodified ccxt bitget client aimed at `sim`, its markets already loaded (from `marketsFrom`
 * when `sim` itself has budgets too small for a loadMarkets).
 */
export async function bitgetClient(
  sim: Simulator,
  account?: Pick<Account, 'apiKey' | 'secret' | 'passphrase'>,
  overrides: Record<string, unknown> = {},
  marketsFrom: Simulator = sim,
): Promise<BitgetClient> {
  const source = await loadedPublicClient(marketsFrom);
  const client = asBitget(createCcxtClient('bitget', sim, account, overrides));
  client.setMarkets(source.markets);
  return client;
}

/** The client createCcxtClient built, as ccxt's bitget class (which it is). */
export function asBitget(client: Exchange): BitgetClient {
  if (!(client instanceof ccxt.bitget)) throw new Error(`expected a bitget client, got ${client.id}`);
  return client;
}

/** An order's id, which ccxt types as optional; every order the simulator acknowledges has one. */
export function idOf(order: Order): string {
  expect(order.id).toMatch(/^\d+$/);
  return order.id ?? '';
}

/** Plain credentials from an account, with some replaced (a wrong secret, an unknown key...). */
export function credentials(
  account: Pick<Account, 'apiKey' | 'secret' | 'passphrase'>,
  overrides: Partial<Pick<Account, 'apiKey' | 'secret' | 'passphrase'>> = {},
): Pick<Account, 'apiKey' | 'secret' | 'passphrase'> {
  const passphrase = overrides.passphrase ?? account.passphrase;
  return {
    apiKey: overrides.apiKey ?? account.apiKey,
    secret: overrides.secret ?? account.secret,
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

/**
 * Awaits a rejection and checks ccxt raised exactly `errorClass` (not a subclass, not a parent)
 * with the venue's code in its message.
 */
export async function expectCcxtError(
  promise: Promise<unknown>,
  errorClass: abstract new (...args: never[]) => Error,
  code?: string,
): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(errorClass);
  const caught = error as Error;
  expect(caught.constructor).toBe(errorClass);
  if (code !== undefined) expect(caught.message).toContain(`"code":"${code}"`);
  return caught;
}
