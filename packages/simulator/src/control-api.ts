import { Decimal } from 'decimal.js';
import { EngineError, type Balance, type LedgerOrder, type Position, type VenueName } from './contract';
import type { CreateAccountInput, SimAccount } from './engine-account';
import { FaultRuleError, parseFaultRule } from './faults';
import { isVenueName, VENUE_NAMES } from './venues/registry';
import type { ControlHandler } from './server';
import type { Simulator } from './simulator-handle';


type ControlTarget = Omit<Simulator, 'url' | 'port' | 'close'>;

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Bad control input: answered 400 (or `status`) with `{ "error": message }`. */
class ControlError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function ok(body: unknown, status = 200): Answer {
  return { status, body };
}

function jsonObject(rawBody: string): Record<string, unknown> {
  if (rawBody.trim() === '') throw new ControlError('body must be a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw new ControlError('body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ControlError('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function venueOf(value: unknown, field: string): VenueName {
  if (!isVenueName(value)) {
    throw new ControlError(`${field} must be one of ${VENUE_NAMES.join(', ')}`);
  }
  return value;
}

function optionalVenue(value: unknown, field: string): VenueName | undefined {
  return value === undefined || value === null ? undefined : venueOf(value, field);
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new ControlError(`${field} must be a non-empty string`);
  return value;
}

/**
 * Bounds of a control decimal. Generous for any real use (the largest token supplies are below
 * 10^15 units; ether has 18 decimals), and small enough that writing the value out stays cheap:
 * without them `"1e9000000000000000"` parses and then runs the process out of memory when rendered.
 */
export const CONTROL_DECIMAL_BOUNDS = { integerDigits: 18, decimalPlaces: 18 } as const;
const DECIMAL_CEILING = new Decimal(10).pow(CONTROL_DECIMAL_BOUNDS.integerDigits);
/** Clock skew beyond ten years is no clock a client could meet. */
export const MAX_SKEW_MS = 10 * 365 * 24 * 60 * 60 * 1000;

function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function decimalString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ControlError(`${field} must be a decimal string, e.g. "10000"`);
  let parsed: Decimal;
  try {
    parsed = new Decimal(value);
  } catch {
    throw new ControlError(`${field} is not a decimal: ${shown(value)}`);
  }
  if (!parsed.isFinite()) throw new ControlError(`${field} must be finite`);
  const { integerDigits, decimalPlaces } = CONTROL_DECIMAL_BOUNDS;
  if (parsed.abs().gte(DECIMAL_CEILING) || parsed.decimalPlaces() > decimalPlaces) {
    throw new ControlError(
      `${field} must have at most ${integerDigits} digits before the decimal point and ${decimalPlaces} after it: ${shown(value)}`,
    );
  }
  return value;
}

function balancesOf(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlError(`${field} must be an object of asset → decimal string`);
  const out: Record<string, string> = {};
  for (const [asset, amount] of Object.entries(value)) {
    const text = decimalString(amount, `${field}.${asset}`);
    if (new Decimal(text).isNegative()) throw new ControlError(`${field}.${asset} must not be negative`);
    out[asset] = text;
  }
  return out;
}

/** A path segment as sent percent-encoded; a broken escape such as `%ZZ` is bad input, not a crash. */
function decodedSegment(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ControlError(`${what} is not valid percent-encoding: ${shown(raw)}`);
  }
}

/** Both filters of the read routes; an account route needs the key and finds the venue if absent. */
function filterOf(query: URLSearchParams): { exchange?: VenueName; apiKey?: string } {
  const exchange = optionalVenue(query.get('exchange') ?? undefined, 'exchange');
  const apiKey = query.get('apiKey') ?? undefined;
  return { ...(exchange ? { exchange } : {}), ...(apiKey ? { apiKey } : {}) };
}

function accountFor(target: ControlTarget, query: URLSearchParams): SimAccount {
  const { exchange, apiKey } = filterOf(query);
  if (!apiKey) throw new ControlError('apiKey query parameter is required');
  const matches = (exchange ? [exchange] : target.engine.venues()).flatMap((venue) => {
    const account = target.accounts.get(venue, apiKey);
    return account ? [account] : [];
  });
  const account = matches[0];
  if (!account) throw new ControlError(`no account with apiKey ${apiKey}${exchange ? ` on ${exchange}` : ''}`, 404);
  if (matches.length > 1) throw new ControlError(`apiKey ${apiKey} exists on several exchanges; add exchange=`);
  return account;
}

function walletJson(wallet: Readonly<Record<string, Balance>>): Record<string, { free: string; locked: string; total: string }> {
  const out: Record<string, { free: string; locked: string; total: string }> = {};
  for (const [asset, balance] of Object.entries(wallet)) {
    out[asset] = { free: balance.free.toFixed(), locked: balance.locked.toFixed(), total: balance.free.plus(balance.locked).toFixed() };
  }
  return out;
}

function freeJson(wallet: Readonly<Record<string, Balance>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [asset, balance] of Object.entries(wallet)) out[asset] = balance.free.toFixed();
  return out;
}

export function accountJson(target: ControlTarget, account: SimAccount): Record<string, unknown> {
  const wallets = target.balances(account.venue, account.apiKey);
  return {
    exchange: account.venue,
    apiKey: account.apiKey,
    secret: account.secret,
    ...(account.passphrase === undefined ? {} : { passphrase: account.passphrase }),
    uid: account.uid,
    positionMode: account.positionMode,
    balances: freeJson(wallets.spot),
    futuresBalances: freeJson(wallets.futures),
  };
}

export function orderJson(order: LedgerOrder): Record<string, unknown> {
  return {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    exchange: order.venue,
    apiKey: order.apiKey,
    symbol: order.symbol,
    market: order.market,
    side: order.side,
    ...(order.positionSide === undefined ? {} : { positionSide: order.positionSide }),
    reduceOnly: order.reduceOnly,
    quantity: order.quantity.toFixed(),
    price: order.price.toFixed(),
    cost: order.cost.toFixed(),
    fee: order.fee.toFixed(),
    feeAsset: order.feeAsset,
    realisedPnl: order.realisedPnl.toFixed(),
    status: order.status,
    time: order.time,
  };
}

function positionJson(position: Position): Record<string, unknown> {
  return {
    symbol: position.symbol,
    side: position.side,
    size: position.size.toFixed(),
    signedSize: position.signedSize.toFixed(),
    entryPrice: position.entryPrice.toFixed(),
    leverage: position.leverage,
    margin: position.margin.toFixed(),
    unrealisedPnl: position.unrealisedPnl.toFixed(),
    markPrice: position.markPrice.toFixed(),
  };
}

function createAccount(target: ControlTarget, body: Record<string, unknown>): Answer {
  const venue = venueOf(body.exchange, 'exchange');
  const positionMode = body.positionMode;
  if (positionMode !== undefined && positionMode !== 'oneway' && positionMode !== 'hedge') {
    throw new ControlError('positionMode must be "oneway" or "hedge"');
  }
  const apiKey = optionalString(body.apiKey, 'apiKey');
  const secret = optionalString(body.secret, 'secret');
  const passphrase = optionalString(body.passphrase, 'passphrase');
  const uid = optionalString(body.uid, 'uid');
  const balances = balancesOf(body.balances, 'balances');
  const futuresBalances = balancesOf(body.futuresBalances, 'futuresBalances');
  if (apiKey !== undefined && target.accounts.get(venue, apiKey)) throw new ControlError(`apiKey already exists on ${venue}`, 409);
  const input: CreateAccountInput = {
    venue,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(secret === undefined ? {} : { secret }),
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(uid === undefined ? {} : { uid }),
    ...(balances === undefined ? {} : { balances }),
    ...(futuresBalances === undefined ? {} : { futuresBalances }),
    ...(positionMode === undefined ? {} : { positionMode }),
  };
  return ok(accountJson(target, target.accounts.create(input)), 201);
}

function setPrice(target: ControlTarget, body: Record<string, unknown>): Answer {
  const symbol = optionalString(body.symbol, 'symbol');
  if (symbol === undefined) throw new ControlError('symbol is required');
  const price = decimalString(body.price, 'price');
  if (!new Decimal(price).gt(0)) throw new ControlError('price must be positive');
  const exchange = optionalVenue(body.exchange, 'exchange');
  target.prices.set(symbol, price, exchange);
  const venues = exchange ? [exchange] : target.engine.venues();
  const applied = venues.filter((venue) => {
    try {
      return target.prices.get(venue, symbol).eq(price);
    } catch {
      return false;
    }
  });
  return ok({ symbol, price, exchanges: applied });
}

function listPrices(target: ControlTarget, query: URLSearchParams): Answer {
  const exchange = optionalVenue(query.get('exchange') ?? undefined, 'exchange');
  const symbol = query.get('symbol') ?? undefined;
  const out: { exchange: VenueName; symbol: string; price: string }[] = [];
  for (const venue of exchange ? [exchange] : target.engine.venues()) {
    let prices: ReadonlyMap<string, Decimal>;
    try {
      prices = target.engine.prices(venue);
    } catch {
      continue;
    }
    for (const [name, price] of prices) {
      if (symbol === undefined || name === symbol) out.push({ exchange: venue, symbol: name, price: price.toFixed() });
    }
  }
  return ok(out);
}

function route(target: ControlTarget, method: string, path: string, query: URLSearchParams, rawBody: string): Answer {
  const key = `${method} ${path}`;
  switch (key) {
    case 'GET /health':
    case 'GET /':
      return ok({ ok: true, exchanges: target.engine.venues(), seed: target.seed, time: target.clock.now() });
    case 'POST /accounts':
      return createAccount(target, jsonObject(rawBody));
    case 'GET /accounts': {
      const { exchange } = filterOf(query);
      return ok(target.accounts.list(exchange).map((account) => accountJson(target, account)));
    }
    case 'POST /prices':
      return setPrice(target, jsonObject(rawBody));
    case 'GET /prices':
      return listPrices(target, query);
    case 'POST /faults': {
      try {
        return ok({ id: target.faults.add(parseFaultRule(jsonObject(rawBody))).id }, 201);
      } catch (error) {
        if (error instanceof FaultRuleError) throw new ControlError(error.message);
        throw error;
      }
    }
    case 'GET /faults':
      return ok(target.faults.list());
    case 'DELETE /faults':
      target.faults.clear();
      return ok({ cleared: true });
    case 'GET /orders': {
      const { exchange, apiKey } = filterOf(query);
      const symbol = query.get('symbol') ?? undefined;
      const orders = target.ledger.orders({
        ...(exchange ? { venue: exchange } : {}),
        ...(apiKey ? { apiKey } : {}),
        ...(symbol ? { symbol } : {}),
      });
      return ok(orders.map(orderJson));
    }
    case 'GET /balances': {
      const account = accountFor(target, query);
      const wallets = target.balances(account.venue, account.apiKey);
      return ok({ exchange: account.venue, apiKey: account.apiKey, spot: walletJson(wallets.spot), futures: walletJson(wallets.futures) });
    }
    case 'GET /positions': {
      const account = accountFor(target, query);
      const symbol = query.get('symbol') ?? undefined;
      return ok(target.positions(account.venue, account.apiKey, symbol).map(positionJson));
    }
    case 'GET /streams':
      return ok(target.engine.venues().map((venue) => ({ exchange: venue, connections: target.streams.connections(venue) })));
    case 'GET /requests':
      return ok(target.requests(filterOf(query)));
    case 'GET /clock':
      return ok({ now: target.clock.now(), skewMs: target.engine.clockSkew() });
    case 'POST /clock': {
      const body = jsonObject(rawBody);
      if (typeof body.skewMs !== 'number' || !Number.isFinite(body.skewMs)) throw new ControlError('skewMs must be a number of milliseconds');
      if (Math.abs(body.skewMs) > MAX_SKEW_MS) throw new ControlError(`skewMs must be within ±${MAX_SKEW_MS} (ten years)`);
      target.clock.skew(Math.trunc(body.skewMs));
      return ok({ now: target.clock.now(), skewMs: target.engine.clockSkew() });
    }
    case 'POST /reset':
      target.reset();
      return ok({ reset: true });
  }
  if (path.startsWith('/faults/') && method === 'DELETE') {
    const id = decodedSegment(path.slice('/faults/'.length), 'fault id');
    if (!target.faults.remove(id)) throw new ControlError(`no fault rule ${id}`, 404);
    return ok({ removed: id });
  }
  const known = ['/', '/health', '/accounts', '/prices', '/faults', '/orders', '/balances', '/positions', '/requests', '/streams', '/clock', '/reset'];
  if (known.includes(path)) throw new ControlError(`${method} is not allowed on /_sim${path}`, 405);
  throw new ControlError(`no control route /_sim${path}`, 404);
}

/** The `/_sim/` routes: JSON in and out, decimals as strings, `{ "error" }` with 4xx on bad input. */
export function createControlApi(target: ControlTarget): ControlHandler {
  return (method, path, query, rawBody) => {
    try {
      return route(target, method, path, query, rawBody);
    } catch (error) {
      if (error instanceof ControlError) return { status: error.status, body: { error: error.message } };
      if (error instanceof EngineError) return { status: 400, body: { error: error.message, code: error.code } };
      if (error instanceof Error && error.name === 'UnknownAccountError') return { status: 404, body: { error: error.message } };
      throw error;
    }
  };
}
