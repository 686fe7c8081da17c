import { Decimal } from 'decimal.js';
import { EngineError, type Account, type Market, type VenueContext, type VenueResponse } from '../../contract';
import type { BybitCategory } from './errors';
import { bybitEngineError } from './errors';

export type BybitParams = Readonly<Record<string, unknown>>;

const EMPTY: BybitParams = Object.freeze({});
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** GET parameters travel in the query string, POST parameters as a JSON body. */
export function paramsOf(ctx: VenueContext): BybitParams {
  return (ctx.request.method === 'GET' ? ctx.request.query : ctx.request.body) ?? EMPTY;
}

function invalid(message: string): EngineError {
  return new EngineError('INVALID_PARAMETER', message);
}

/** A scalar parameter as text; Bybit treats an empty string as absent. */
export function optionalString(params: BybitParams, key: string): string | undefined {
  const value = params[key];
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return undefined;
  throw invalid(`${key} must be a scalar`);
}

export function requiredString(params: BybitParams, key: string): string {
  const value = optionalString(params, key);
  if (value === undefined) throw invalid(`${key} is required`);
  return value;
}

export function optionalBoolean(params: BybitParams, key: string): boolean | undefined {
  const value = optionalString(params, key);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(`${key} must be true or false`);
}

/** A positive decimal written plainly, as Bybit requires quantities and leverages. */
export function positiveDecimal(params: BybitParams, key: string): Decimal {
  const text = requiredString(params, key);
  if (!DECIMAL.test(text)) throw invalid(`${key} must be a decimal number`);
  const value = new Decimal(text);
  if (value.lte(0)) throw invalid(`${key} must be greater than 0`);
  return value;
}

/** `category`, validated against what the endpoint serves. */
export function categoryParam<T extends string>(params: BybitParams, allowed: readonly T[]): T {
  const category = optionalString(params, 'category');
  const match = allowed.find((candidate) => candidate === category);
  if (match === undefined) throw invalid(`category must be one of ${allowed.join(', ')}`);
  return match;
}

/** The account authenticate() accepted; every signed route has one. */
export function signedAccount(ctx: VenueContext): Account {
  if (!ctx.account) throw new Error('signed Bybit route reached without an account');
  return ctx.account;
}

export function marketOf(category: BybitCategory): Market {
  return category === 'spot' ? 'spot' : 'futures';
}

/**
 * Runs a handler and turns the engine's refusals (and this module's parameter errors) into Bybit's
 * answer for the request's category, since spot and perpetuals refuse with different codes.
 */
export function answering(handler: (ctx: VenueContext) => VenueResponse): (ctx: VenueContext) => VenueResponse {
  return (ctx) => {
    try {
      return handler(ctx);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      const category: BybitCategory = paramsOf(ctx).category === 'spot' ? 'spot' : 'linear';
      return bybitEngineError(error, category, ctx.engine.now());
    }
  };
}
