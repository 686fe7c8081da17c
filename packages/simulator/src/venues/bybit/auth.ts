import type { Account, EngineApi, VenueRequest, VenueResponse } from '../../contract';
import { bybitFail, PARAMS_ERROR } from './envelope';
import { hmacSha256Hex, signaturesMatch } from '../shared/hmac';

/** Bybit's default when the client sends no X-BAPI-RECV-WINDOW. */
const DEFAULT_RECV_WINDOW = 5000;
/** A timestamp may run this far ahead of the server clock. */
const FUTURE_TOLERANCE_MS = 1000;
const DIGITS = /^\d{1,16}$/;

/**
 * Bybit v5 HMAC authentication: `X-BAPI-SIGN` is hex HMAC-SHA256 over
 * timestamp + api key + recv window + (the raw query string for GET, the raw body for POST),
 * exactly the bytes the client sent. The timestamp must fall in
 * [server time − recvWindow, server time + 1 s).
 */
export function authenticateBybit(request: VenueRequest, engine: EngineApi): Account | VenueResponse {
  const headers = request.headers;
  const apiKey = headers['x-bapi-api-key'];
  const timestamp = headers['x-bapi-timestamp'];
  const signature = headers['x-bapi-sign'];
  const recvWindowHeader = headers['x-bapi-recv-window'];
  const now = engine.now();
  if (!apiKey || !timestamp || !signature) {
    // ccxt matches "openapi sign params error!" broadly and raises AuthenticationError.
    return bybitFail(
      PARAMS_ERROR,
      `empty value: apiTimestamp[${timestamp ?? ''}] apiKey[${apiKey ?? ''}] apiSignature[${signature ?? ''}]: openapi sign params error!`,
      now,
    );
  }
  const account = engine.account('bybit', apiKey);
  if (!account) return bybitFail(10003, 'API key is invalid.', now);
  if (!DIGITS.test(timestamp) || (recvWindowHeader !== undefined && !DIGITS.test(recvWindowHeader))) {
    return bybitFail(PARAMS_ERROR, 'params error: X-BAPI-TIMESTAMP and X-BAPI-RECV-WINDOW must be integers', now);
  }
  const sentAt = Number(timestamp);
  const recvWindow = recvWindowHeader === undefined ? DEFAULT_RECV_WINDOW : Number(recvWindowHeader);
  if (sentAt < now - recvWindow || sentAt >= now + FUTURE_TOLERANCE_MS) {
    return bybitFail(
      10002,
      `invalid request, please check your server timestamp or recv_window param. req_timestamp[${timestamp}],server_timestamp[${now}],recv_window[${recvWindow}]`,
      now,
    );
  }
  const payload = timestamp + apiKey + (recvWindowHeader ?? '') + (request.method === 'GET' ? request.rawQuery : request.rawBody);
  if (!signaturesMatch(hmacSha256Hex(account.secret, payload), signature.toLowerCase())) {
    return bybitFail(10004, `error sign! origin_string[${payload}]`, now);
  }
  return account;
}
