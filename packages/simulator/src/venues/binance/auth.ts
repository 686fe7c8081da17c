import type { Account, EngineApi, VenueRequest, VenueResponse } from '../../contract';
import {
  API_KEY_FORMAT_INVALID,
  INVALID_API_KEY,
  INVALID_SIGNATURE,
  RECV_WINDOW_TOO_LARGE,
  TIMESTAMP_AHEAD,
  TIMESTAMP_OUTSIDE_WINDOW,
  illegalParameter,
  missingParameter,
} from './errors';
import { hmacSha256Hex, signaturesMatch } from '../shared/hmac';

const DEFAULT_RECV_WINDOW = 5000;
const MAX_RECV_WINDOW = 60_000;
/** Binance refuses timestamps more than a second ahead of its clock whatever the recvWindow. */
const MAX_AHEAD_MS = 1000;
const HEX_64 = /^[0-9a-fA-F]{64}$/;

/** One `&`-separated part list with the `signature=` parameter taken out, and that signature. */
function withoutSignature(raw: string): { readonly rest: string; readonly signature: string | undefined } {
  if (!raw.includes('signature=')) return { rest: raw, signature: undefined };
  let signature: string | undefined;
  const kept: string[] = [];
  for (const part of raw.split('&')) {
    if (part.startsWith('signature=')) signature = part.slice('signature='.length);
    else kept.push(part);
  }
  return { rest: kept.join('&'), signature };
}

/**
 * The payload Binance signs: the query string followed directly by the form body (`totalParams`),
 * each exactly as sent, without the `signature` parameter.
 */
export function signedPayload(rawQuery: string, rawBody: string): { readonly payload: string; readonly signature: string | undefined } {
  const query = withoutSignature(rawQuery);
  const body = withoutSignature(rawBody);
  return { payload: query.rest + body.rest, signature: query.signature ?? body.signature };
}

/**
 * SIGNED (TRADE / USER_DATA) endpoint security as Binance applies it: the `X-MBX-APIKEY` header
 * names the key, HMAC-SHA256 of `totalParams` under the secret must equal `signature`, and
 * `timestamp` must fall inside `recvWindow` of the server's clock and not run ahead of it.
 */
export function authenticateBinance(request: VenueRequest, engine: EngineApi, params: Readonly<Record<string, string>>): Account | VenueResponse {
  const apiKey = request.headers['x-mbx-apikey'];
  if (apiKey === undefined || apiKey === '') return API_KEY_FORMAT_INVALID;
  const account = engine.account('binance', apiKey);
  if (!account) return INVALID_API_KEY;

  const timestampRaw = params.timestamp;
  if (timestampRaw === undefined || timestampRaw === '') return missingParameter('timestamp');
  if (!/^[0-9]{1,20}$/.test(timestampRaw)) return illegalParameter('timestamp', '^[0-9]{1,20}$');
  let recvWindow = DEFAULT_RECV_WINDOW;
  const recvWindowRaw = params.recvWindow;
  if (recvWindowRaw !== undefined) {
    if (!/^[0-9]{1,20}$/.test(recvWindowRaw)) return illegalParameter('recvWindow', '^[0-9]{1,20}$');
    recvWindow = Number(recvWindowRaw);
    if (recvWindow > MAX_RECV_WINDOW) return RECV_WINDOW_TOO_LARGE;
  }

  const { payload, signature } = signedPayload(request.rawQuery, request.rawBody);
  if (signature === undefined || signature === '') return missingParameter('signature');
  if (!HEX_64.test(signature) || !signaturesMatch(hmacSha256Hex(account.secret, payload), signature.toLowerCase())) {
    return INVALID_SIGNATURE;
  }

  const timestamp = Number(timestampRaw);
  const now = engine.now();
  if (timestamp > now + MAX_AHEAD_MS) return TIMESTAMP_AHEAD;
  if (now - timestamp > recvWindow) return TIMESTAMP_OUTSIDE_WINDOW;
  return account;
}
