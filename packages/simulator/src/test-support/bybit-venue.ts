import ccxt from 'ccxt';
import { expect } from 'vitest';
import type { Account } from '../contract';
import { createCcxtClient } from './index';
import type { Simulator } from '../start-simulator';

/** Bybit's unified symbols for the instruments the tests trade. */
export const BTC_PERP = 'BTC/USDT:USDT';
export const BTC_SPOT = 'BTC/USDT';

/** ccxt's fetchOrder on a unified account refuses to run without this acknowledgement. */
export const ACK = { acknowledged: true } as const;

export type BybitClient = InstanceType<typeof ccxt.bybit>;

/** The pinned ccxt bybit class pointed at the simulator, typed as bybit for its raw v5 endpoints. */
export function bybitClient(sim: Pick<Simulator, 'url'>, account?: Pick<Account, 'apiKey' | 'secret'>, overrides: Record<string, unknown> = {}): BybitClient {
  const client = createCcxtClient('bybit', sim, account, overrides);
  if (!(client instanceof ccxt.bybit)) throw new Error('createCcxtClient("bybit") did not build a ccxt bybit client');
  return client;
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Asserts that ccxt raised exactly `errorClass` (not a subclass: BadSymbol is a BadRequest,
 * OrderNotFound an InvalidOrder) and, when given, that Bybit's body carried `retCode`.
 */
export async function expectCcxtError(
  promise: Promise<unknown>,
  errorClass: abstract new (...args: never[]) => Error,
  retCode?: number,
): Promise<Error> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(errorClass);
  expect(error.name).toBe(errorClass.name);
  if (retCode !== undefined) expect(error.message).toContain(`"retCode":${retCode},`);
  return error;
}

/** ccxt types an order id as optional; every order these tests fetch again must have one. */
export function idOf(order: { readonly id?: string | undefined }): string {
  if (order.id === undefined) throw new Error('ccxt returned an order without an id');
  return order.id;
}
