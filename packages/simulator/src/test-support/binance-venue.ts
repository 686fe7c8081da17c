import type { Exchange } from 'ccxt';
import { expect } from 'vitest';
import type { Account } from '../contract';
import { errorOf } from './index';
import { hmacSha256Hex } from '../venues/shared/hmac';

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

async function answer(response: Response): Promise<RawAnswer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A plain HTTP request to `<url>/binance<path>`, for what ccxt would never send. */
export async function binanceFetch(
  url: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  return answer(await fetch(`${url}/binance${path}`, { method, ...init }));
}

/**
 * A request signed the way Binance documents it (HMAC-SHA256 hex of the query string, signature
 * appended), with `timestamp` from `now`; GET and DELETE carry it in the query, others in a form body.
 */
export async function signedBinanceFetch(
  url: string,
  account: Pick<Account, 'apiKey' | 'secret'>,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, string>,
  now: number,
): Promise<RawAnswer> {
  const query = new URLSearchParams({ ...params, timestamp: String(now) }).toString();
  const signed = `${query}&signature=${hmacSha256Hex(account.secret, query)}`;
  const headers: Record<string, string> = { 'X-MBX-APIKEY': account.apiKey };
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return binanceFetch(url, method, path, { headers, body: signed });
  }
  return binanceFetch(url, method, `${path}?${signed}`, { headers });
}

/** A ccxt order's id, which ccxt types as optional; a test fails here when the venue left it out. */
export function idOf(order: { readonly id?: string | undefined }): string {
  if (order.id === undefined) throw new Error('ccxt parsed no order id');
  return order.id;
}

/**
 * The call fails with exactly `errorClass` (not a subclass), and the body ccxt last received carries
 * Binance's `code` (ccxt quotes the whole body in some messages and only the `msg` in others).
 */
export async function expectRefusal(
  client: Pick<Exchange, 'last_http_response'>,
  call: Promise<unknown>,
  errorClass: new (...args: never[]) => Error,
  code: number,
): Promise<Error> {
  const error = await errorOf(call);
  expect(error.constructor).toBe(errorClass);
  expect(JSON.parse(String(client.last_http_response))).toMatchObject({ code });
  return error;
}
