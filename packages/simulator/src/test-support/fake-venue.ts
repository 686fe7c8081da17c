import { Decimal } from 'decimal.js';
import { VENUE_MODULES } from '../venues/registry';
import type {
  Instrument,
  Market,
  Side,
  VenueContext,
  VenueModule,
  VenueName,
  VenueProtocol,
  VenueResponse,
  VenueRoute,
} from '../contract';

/**
 * A deliberately plain venue for the venue-neutral tests (engine, server, faults, control API):
 * fixed instrument specs, key-only authentication from `x-mbx-apikey`, `{ ok, ... }` envelopes.
 * It lets those tests pin exact numbers without depending on any real venue's catalogue.
 */
export const FAKE_SPECS = {
  BTC: { step: '0.001', minQty: '0.001', maxQty: '100', tick: '0.1', maxLeverage: 50 },
  ETH: { step: '0.01', minQty: '0.01', maxQty: '1000', tick: '0.01', maxLeverage: 50 },
  SOL: { step: '0.1', minQty: '0.1', maxQty: '10000', tick: '0.01', maxLeverage: 25 },
  XRP: { step: '1', minQty: '1', maxQty: '1000000', tick: '0.0001', maxLeverage: 25 },
  DOGE: { step: '1', minQty: '1', maxQty: '10000000', tick: '0.00001', maxLeverage: 25 },
} as const;

export const FAKE_FEES: Readonly<Record<Market, string>> = { spot: '0.001', futures: '0.0005' };

function instruments(venue: VenueName): Instrument[] {
  return Object.entries(FAKE_SPECS).flatMap(([base, spec]) =>
    (['spot', 'futures'] as const).map((market) => ({
      venue,
      market,
      symbol: `${base}USDT`,
      base,
      quote: 'USDT',
      stepSize: new Decimal(spec.step),
      minQty: new Decimal(spec.minQty),
      maxQty: new Decimal(spec.maxQty),
      tickSize: new Decimal(spec.tick),
      minNotional: new Decimal(5),
      maxLeverage: market === 'spot' ? 1 : spec.maxLeverage,
      takerFeeRate: new Decimal(FAKE_FEES[market]),
      synthetic: false,
    })),
  );
}

const json = (status: number, body: unknown, headers?: Record<string, string>): VenueResponse =>
  headers ? { status, body, headers } : { status, body };

function orderRoute(kind: 'order.create' | 'order.query'): VenueRoute {
  return {
    method: kind === 'order.create' ? 'POST' : 'GET',
    path: '/order',
    kind,
    signed: true,
    handle: (ctx: VenueContext) => {
      if (!ctx.account) return json(401, { ok: false, error: 'no account' });
      if (kind === 'order.query') {
        const order = ctx.engine.findOrder(ctx.account, {
          orderId: ctx.request.query.orderId,
          clientOrderId: ctx.request.query.clientOrderId,
        });
        return json(200, { ok: true, orderId: order.orderId, status: order.status });
      }
      const body = ctx.request.body ?? {};
      const order = ctx.engine.placeOrder(ctx.account, {
        market: body.market === 'futures' ? 'futures' : 'spot',
        symbol: String(body.symbol),
        side: body.side === 'sell' ? 'sell' : ('buy' satisfies Side),
        quantity: new Decimal(String(body.quantity)),
        ...(typeof body.clientOrderId === 'string' ? { clientOrderId: body.clientOrderId } : {}),
      });
      return json(200, { ok: true, orderId: order.orderId, clientOrderId: order.clientOrderId, price: order.price.toFixed() });
    },
  };
}

function createProtocol(name: VenueName, requestsPerWindow: number): VenueProtocol {
  const used = new Map<string, number>();
  return {
    name,
    routes: [
      { method: 'GET', path: '/time', kind: 'other', signed: false, handle: (ctx) => json(200, { ok: true, serverTime: ctx.engine.now() }) },
      orderRoute('order.create'),
      orderRoute('order.query'),
      {
        method: 'GET',
        path: '/boom',
        kind: 'other',
        signed: false,
        handle: () => {
          throw new TypeError('a venue bug');
        },
      },
    ],
    authenticate: (request, engine) => {
      const key = request.headers['x-mbx-apikey'];
      const account = key === undefined ? undefined : engine.account(name, key);
      return account ?? json(401, { ok: false, error: 'invalid key' });
    },
    engineError: (error) => json(400, { ok: false, error: error.code }),
    notFound: () => json(404, { ok: false, error: 'not found' }),
    badRequest: (_request, message) => json(400, { ok: false, error: message }),
    rateLimited: (retryAfterMs, banned) =>
      json(banned ? 418 : 429, { ok: false, error: 'rate limited' }, { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) }),
    serverError: () => json(500, { ok: false, error: 'server error' }),
    sendStatusUnknown: () => json(503, { ok: false, error: 'send status unknown' }),
    rateLimit: (ctx) => {
      const key = ctx.request.ip;
      const count = (used.get(key) ?? 0) + 1;
      used.set(key, count);
      const headers = { 'x-used': String(count) };
      return count > requestsPerWindow ? { headers, refusal: json(429, { ok: false, error: 'rate limited' }, { 'retry-after': '60' }) } : { headers };
    },
  };
}

function venueModule(name: VenueName): VenueModule {
  const module = VENUE_MODULES.find((venue) => venue.name === name);
  if (!module) throw new Error(`no venue ${name}`);
  return module;
}

/** A VenueModule named `name` (so it can stand in for a real one) speaking the fake protocol. */
export function fakeVenue(name: VenueName = 'binance'): VenueModule {
  return {
    name,
    // The real venue's account rules (Bybit's one wallet, Bitget's passphrase), its own header.
    accounts: { ...venueModule(name).accounts, apiKeyHeader: 'x-mbx-apikey' },
    baseInstruments: instruments(name),
    realScale: { spot: 40, futures: 20 },
    // The plainest policy: an id, once used, is refused forever, whatever the market.
    clientOrderIds: () => ({ scope: 'account', reuse: 'never' }),
    createProtocol: (options) => createProtocol(name, options.budgets.binanceWeightPerMinute ?? Infinity),
  };
}
