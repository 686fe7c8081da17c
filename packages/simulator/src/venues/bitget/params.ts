import { Decimal } from 'decimal.js';
import { EngineError, type Account, type EngineApi, type Instrument, type Market, type VenueContext, type VenueRules } from '../../contract';
import { BITGET_CODES, BitgetRefusal, refusal } from './errors';

/** Where a route reads its parameters: the JSON body of a POST, the query of a GET. */
export type ParamSource = Readonly<Record<string, unknown>>;

export function paramsOf(ctx: VenueContext): ParamSource {
  return ctx.request.method === 'GET' ? ctx.request.query : (ctx.request.body ?? {});
}

export function accountOf(ctx: VenueContext): Account {
  if (!ctx.account) throw refusal(BITGET_CODES.accessKeyEmpty);
  return ctx.account;
}

/** A parameter as a string; numbers and booleans are read as the text they would be sent as. */
export function optionalParam(source: ParamSource, name: string): string | undefined {
  const value = source[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw refusal(BITGET_CODES.parameterError, name);
}

export function requiredParam(source: ParamSource, name: string): string {
  const value = optionalParam(source, name);
  if (value === undefined) throw refusal(BITGET_CODES.parameterEmpty, name);
  return value;
}

/** One of `allowed`, compared without case as Bitget does (`Open`, `open`); answered lower-case. */
export function enumParam<T extends string>(source: ParamSource, name: string, allowed: readonly T[]): T {
  const value = requiredParam(source, name).toLowerCase();
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw refusal(BITGET_CODES.parameterError, name);
  return match;
}

const DECIMAL = /^\d{1,30}(\.\d{1,30})?$/;

/** A positive decimal; garbage, negatives and zero are a parameter error. */
export function decimalParam(source: ParamSource, name: string): Decimal {
  const text = requiredParam(source, name);
  if (!DECIMAL.test(text)) throw refusal(BITGET_CODES.parameterError, name);
  const value = new Decimal(text);
  if (value.lte(0)) throw refusal(BITGET_CODES.parameterError, name);
  return value;
}

/**
 * Bitget's `checkBDScale`: a size with more decimal places than the symbol's precision is refused
 * before any business rule runs (ccxt: InvalidOrder).
 */
export function checkScale(size: Decimal, step: Decimal): void {
  const scale = step.decimalPlaces();
  if (size.decimalPlaces() > scale) {
    throw new BitgetRefusal('40808', `Parameter verification exception size checkBDScale error value=${size.toFixed()} checkScale=${scale}`);
  }
}

/** The product types ccxt asks for; only USDT-M is traded, the others list nothing. */
const PRODUCT_TYPES = ['usdt-futures', 'coin-futures', 'usdc-futures', 'susdt-futures', 'scoin-futures', 'susdc-futures'] as const;

/** True for USDT-FUTURES, false for another real product type; anything else is refused. */
export function isUsdtFutures(source: ParamSource): boolean {
  return enumParam(source, 'productType', PRODUCT_TYPES) === 'usdt-futures';
}

/**
 * `clientOid` formats by the page read (see VenueRules.bitgetClientOidFormat): the Best Practices
 * pattern, or the error-code page's 64 characters without "Martian characters" (read as anything
 * outside word characters and `-.:#@/`).
 */
const CLIENT_OID: Readonly<Record<VenueRules['bitgetClientOidFormat'], RegExp>> = {
  bestPractices: /^[0-9A-Za-z_:#\-+\s]{1,32}$/,
  errorCodes: /^[\w\-.:#@/]{1,64}$/,
};

/** `clientOid` when sent; 40305 (ccxt: BadRequest) when it breaks the format in force. */
export function clientOidParam(source: ParamSource, format: VenueRules['bitgetClientOidFormat']): string | undefined {
  const value = optionalParam(source, 'clientOid');
  if (value !== undefined && !CLIENT_OID[format].test(value)) {
    throw new BitgetRefusal('40305', 'clientOid or clientOrderId length cannot greater than 64, and cannot be Martian characters');
  }
  return value;
}

/** Order ids are decimal digits; anything else is Bitget's 40020 (ccxt: BadRequest). */
export function orderIdParam(source: ParamSource): string | undefined {
  const value = optionalParam(source, 'orderId');
  if (value !== undefined && !/^\d{1,32}$/.test(value)) throw refusal(BITGET_CODES.parameterError, 'orderId');
  return value;
}

export function requireInstrument(engine: EngineApi, market: Market, symbol: string): Instrument {
  const instrument = engine.instrument('bitget', market, symbol);
  if (!instrument) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
  return instrument;
}

/**
 * The USDT-M symbol a futures request names, checked with its product type and (where Bitget
 * requires one) its margin coin; another product type does not list it.
 */
export function futuresSymbol(engine: EngineApi, source: ParamSource, marginCoin: 'required' | 'optional'): string {
  const symbol = requiredParam(source, 'symbol');
  if (!isUsdtFutures(source)) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
  requireInstrument(engine, 'futures', symbol);
  checkMarginCoin(source, marginCoin === 'required');
  return symbol;
}

/** The margin coin of USDT-M futures; another one is a parameter error. */
export function checkMarginCoin(source: ParamSource, required: boolean): void {
  const coin = required ? requiredParam(source, 'marginCoin') : optionalParam(source, 'marginCoin');
  if (coin !== undefined && coin.toUpperCase() !== 'USDT') throw refusal(BITGET_CODES.parameterError, 'marginCoin');
}
