import type { Account, EngineApi, VenueRequest, VenueResponse } from '../../contract';
import { BITGET_CODES, bitgetFail } from './errors';
import { hmacSha256Base64, signaturesMatch } from '../shared/hmac';

/** Bitget refuses a request whose ACCESS-TIMESTAMP is more than 30 s from its clock, either way. */
export const BITGET_TIMESTAMP_WINDOW_MS = 30_000;

/**
 * What Bitget signs: `timestamp + METHOD + requestPath + ("?" + queryString) + body`, with the
 * path as sent (`/api/v2/...`). ccxt percent-encodes the URL's query but signs it decoded, so the
 * decoded form is accepted too, as the real venue (which verifies the decoded query) does.
 */
export function bitgetPrehash(timestamp: string, method: string, path: string, query: string, body: string): string {
  return `${timestamp}${method.toUpperCase()}${path}${query === '' ? '' : `?${query}`}${body}`;
}

function decodedQuery(rawQuery: string): string | undefined {
  if (!rawQuery.includes('%') && !rawQuery.includes('+')) return undefined;
  try {
    return decodeURIComponent(rawQuery.replace(/\+/g, '%20'));
  } catch {
    return undefined;
  }
}

function signatureValid(request: VenueRequest, secret: string, timestamp: string, signature: string): boolean {
  const expected = hmacSha256Base64(secret, bitgetPrehash(timestamp, request.method, request.path, request.rawQuery, request.rawBody));
  if (signaturesMatch(expected, signature)) return true;
  const decoded = decodedQuery(request.rawQuery);
  if (decoded === undefined) return false;
  return signaturesMatch(hmacSha256Base64(secret, bitgetPrehash(timestamp, request.method, request.path, decoded, request.rawBody)), signature);
}

function refuse(engine: EngineApi, entry: readonly [string, string]): VenueResponse {
  return bitgetFail(engine.now(), entry[0], entry[1]);
}

/**
 * Verifies the `ACCESS-*` headers the way Bitget does: key, then timestamp window, then
 * passphrase, then the base64 HMAC-SHA256 signature over the exact bytes received.
 */
export function authenticateBitget(request: VenueRequest, engine: EngineApi): Account | VenueResponse {
  const { headers } = request;
  const key = headers['access-key'];
  const signature = headers['access-sign'];
  const timestamp = headers['access-timestamp'];
  const passphrase = headers['access-passphrase'];
  if (key === undefined || key === '') return refuse(engine, BITGET_CODES.accessKeyEmpty);
  if (signature === undefined || signature === '') return refuse(engine, BITGET_CODES.signEmpty);
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) return refuse(engine, BITGET_CODES.invalidTimestamp);
  if (passphrase === undefined || passphrase === '') return refuse(engine, BITGET_CODES.passphraseEmpty);
  const account = engine.account('bitget', key);
  if (!account) return refuse(engine, BITGET_CODES.invalidAccessKey);
  if (Math.abs(engine.now() - Number(timestamp)) > BITGET_TIMESTAMP_WINDOW_MS) return refuse(engine, BITGET_CODES.timestampExpired);
  if (passphrase !== account.passphrase) return refuse(engine, BITGET_CODES.passphraseWrong);
  if (!signatureValid(request, account.secret, timestamp, signature)) return refuse(engine, BITGET_CODES.signatureError);
  if (request.method === 'POST' && !(headers['content-type'] ?? '').toLowerCase().includes('application/json')) {
    return refuse(engine, BITGET_CODES.invalidContentType);
  }
  return account;
}
