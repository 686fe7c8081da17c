import {
  AuthenticationError,
  ExchangeAPIError,
  ExchangeError,
  ExchangeUnavailableError,
  InsufficientBalanceError,
  InvalidLeverageError,
  InvalidOrderError,
  NetworkError,
  PositionNotFoundError,
  RateLimitError,
  redactText,
  redactUrls,
  SymbolNotFoundError,
} from '@xport/core';
import type { ExchangeErrorOptions, Secret } from '@xport/core';

/**
 * What a venue's own error code means where ccxt's class is too coarse (a reduce-only order with no
 * position is "InvalidOrder" to ccxt, but the caller needs PositionNotFoundError).
 */
export type VenueErrorMeaning =
  | 'positionNotFound'
  | 'invalidOrder'
  | 'insufficientBalance'
  | 'invalidLeverage'
  | 'duplicateClientOrderId'
  | 'orderNotFound'
  | 'noChange'
  | 'timestamp'
  | 'sendStatusUnknown';

export interface ErrorContext {
  readonly exchange: string;
  readonly operation: string;
  /** Credential values to scrub from upstream messages. */
  readonly secrets: readonly (Secret | string | undefined)[];
  readonly classifyCode?: ((code: string, message: string) => VenueErrorMeaning | undefined) | undefined;
  /** Retry-After from the last response, when the venue sent one. */
  readonly retryAfterMs?: number | undefined;
  readonly symbol?: string | undefined;
  /** The venue's code read from the answer's body, for when ccxt's message carries only the text. */
  readonly bodyCode?: string | undefined;
}

/** The ccxt class names of an error, most specific first (ccxt errors set `name` on each class). */
export function ccxtErrorNames(error: unknown): readonly string[] {
  const names: string[] = [];
  if (typeof error !== 'object' || error === null) return names;
  for (let proto: unknown = Object.getPrototypeOf(error); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const ctor = (proto as { constructor?: { name?: string } }).constructor;
    if (ctor?.name !== undefined && ctor.name !== '' && !names.includes(ctor.name)) names.push(ctor.name);
  }
  return names;
}

/**
 * The venue's code from a ccxt message, which ends with the venue's JSON body:
 * Binance `{"code":-2010,...}`, Bybit `{"retCode":110007,...}`, Bitget `{"code":"43012",...}`.
 */
export function venueCodeOf(message: string): string | undefined {
  const match = /"(?:code|retCode|ret_code)"\s*:\s*"?(-?\w+)"?/.exec(message);
  const code = match?.[1];
  return code === undefined || code === '0' || code === '00000' ? undefined : code;
}

const has = (names: readonly string[], ...wanted: string[]): boolean => wanted.some((name) => names.includes(name));

/** The meaning the profile gave a translated error's venue code, decided once when it was translated. */
const meanings = new WeakMap<object, VenueErrorMeaning>();

/**
 * What the venue's code on an error from translateCcxtError means to the venue profile (duplicate
 * client order id, "not modified", a timestamp refusal…); undefined for any other error.
 */
export function venueMeaningOf(error: unknown): VenueErrorMeaning | undefined {
  return typeof error === 'object' && error !== null ? meanings.get(error) : undefined;
}

/**
 * The transport failures ccxt reports as a NetworkError (its list of connection error codes). ccxt
 * drops the socket error and keeps its code only in the text it writes, `… fetch failed: connect
 * ECONNREFUSED 127.0.0.1:9`; this is read once, here, so the error carries the code as its `code`
 * and later decisions (was the order sent?) read the code, never the text.
 */
const TRANSPORT_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'] as const;
/** Bun's and undici.request's names for the same failures. */
const TRANSPORT_ALIASES: Readonly<Record<string, string>> = { ConnectionRefused: 'ECONNREFUSED', ConnectionReset: 'ECONNRESET', ConnectionClosed: 'ECONNRESET', DNSError: 'ENOTFOUND' };

function transportCodeOf(names: readonly string[], rawMessage: string): string | undefined {
  if (!names.includes('NetworkError')) return undefined;
  const words = rawMessage.split(/[^A-Za-z_]+/);
  const code = TRANSPORT_CODES.find((candidate) => words.includes(candidate));
  if (code !== undefined) return code;
  const alias = Object.keys(TRANSPORT_ALIASES).find((candidate) => words.includes(candidate));
  return alias === undefined ? undefined : TRANSPORT_ALIASES[alias];
}

/**
 * ccxt's error (or a socket error) → the domain error, keeping the venue's code and the original as
 * `cause`, with credentials scrubbed from the message: the known secret values, and the userinfo and
 * query of every URL (ccxt quotes the request URL, which carries Binance's signature and a proxy's
 * password). Domain errors pass through unchanged.
 */
export function translateCcxtError(error: unknown, context: ErrorContext): ExchangeError {
  if (ExchangeError.isInstance(error)) return error;
  const { translated, meaning } = translate(error, context);
  if (meaning !== undefined) meanings.set(translated, meaning);
  return translated;
}

function translate(error: unknown, context: ErrorContext): { translated: ExchangeError; meaning: VenueErrorMeaning | undefined } {
  const names = ccxtErrorNames(error);
  const rawMessage = error instanceof Error ? error.message : String(error);
  const scrub = (text: string): string => redactUrls(redactText(text, context.secrets));
  const message = scrub(rawMessage);
  // The original stays as `cause` for debugging, so it is scrubbed too: venues echo keys back
  // (Bybit's bad-signature answer quotes the API key), and inspect/toJSON would show them.
  if (error instanceof Error) {
    error.message = message;
    if (error.stack !== undefined) error.stack = scrub(error.stack);
  }
  const transportCode = transportCodeOf(names, rawMessage);
  // A transport failure has no venue answer: the body ccxt kept is an earlier request's.
  const code = transportCode ?? venueCodeOf(rawMessage) ?? context.bodyCode;
  const options: ExchangeErrorOptions = { exchange: context.exchange, operation: context.operation, code, cause: error };
  const meaning = code === undefined || transportCode !== undefined ? undefined : context.classifyCode?.(code, rawMessage);
  return { translated: translatedError(error, names, message, options, meaning, context), meaning };
}

function translatedError(error: unknown, names: readonly string[], message: string, options: ExchangeErrorOptions, meaning: VenueErrorMeaning | undefined, context: ErrorContext): ExchangeError {

  switch (meaning) {
    case 'positionNotFound':
      return new PositionNotFoundError(message, { ...options, symbol: context.symbol });
    case 'invalidLeverage':
      return new InvalidLeverageError(message, options);
    case 'invalidOrder':
      return new InvalidOrderError(message, options);
    case 'insufficientBalance':
      return new InsufficientBalanceError(message, options);
    case 'timestamp':
      return new NetworkError(message, options);
    case 'sendStatusUnknown':
      return new NetworkError(message, options);
    default:
      break;
  }
  if (has(names, 'InsufficientFunds')) return new InsufficientBalanceError(message, options);
  if (has(names, 'AuthenticationError', 'PermissionDenied', 'AccountSuspended', 'AccountNotEnabled')) {
    return new AuthenticationError(message, options);
  }
  if (has(names, 'BadSymbol')) return new SymbolNotFoundError(message, { ...options, symbol: context.symbol });
  if (has(names, 'RateLimitExceeded', 'DDoSProtection')) {
    return new RateLimitError(message, { ...options, retryAfterMs: context.retryAfterMs });
  }
  // OperationFailed is ccxt's class for a venue's internal error (Binance -1001) and its 5xx pages.
  if (has(names, 'OnMaintenance', 'ExchangeNotAvailable', 'BadResponse', 'NullResponse')) return new ExchangeUnavailableError(message, options);
  if (has(names, 'RequestTimeout', 'InvalidNonce', 'NetworkError')) return new NetworkError(message, options);
  if (has(names, 'OperationFailed')) return new ExchangeUnavailableError(message, options);
  if (has(names, 'InvalidOrder', 'BadRequest', 'ArgumentsRequired')) return new InvalidOrderError(message, options);
  if (has(names, 'ExchangeError', 'OperationRejected', 'NotSupported')) return new ExchangeAPIError(message, options);
  // Socket-level failures reach us as plain errors from undici/node (ECONNRESET, ECONNREFUSED, …).
  const errno = (error as { code?: unknown } | null)?.code;
  if (typeof errno === 'string' && /^E[A-Z]+/.test(errno)) return new NetworkError(message, { ...options, code: errno });
  // Anything else that is not ccxt's own error is ccxt failing to read the answer (a truncated or
  // malformed body makes its parsers throw TypeError): the venue's answer, not the request, is bad.
  if (!names.includes('BaseError')) return new ExchangeUnavailableError(`malformed answer: ${message}`, options);
  return new ExchangeAPIError(message, options);
}
