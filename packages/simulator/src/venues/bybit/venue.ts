import { ALPHANUMERIC } from '../../random';
import type { EngineError, VenueModule, VenueOptions, VenueProtocol, VenueResponse, VenueRoute } from '../../contract';
import { bybitAccountRoutes } from './account-routes';
import { authenticateBybit } from './auth';
import { BYBIT_BASE_INSTRUMENTS, BYBIT_DEFAULT_LEVERAGE, BYBIT_REAL_SCALE } from './catalogue';
import { bybitFail, PARAMS_ERROR } from './envelope';
import { bybitEngineError } from './errors';
import { bybitMarketRoutes } from './market-routes';
import { createBybitOrderRoutes } from './order-routes';
import { bybitPositionRoutes } from './position-routes';
import { bybitStreams } from './streams';
import { ACCESS_TOO_FREQUENT, BybitRateLimiter, tooManyVisits, type BybitRoute } from './rate-limit';

/** What Bybit's gateway sends when the backend is down or too slow: HTML, not the v5 envelope. */
function gatewayPage(status: 502 | 504, title: string): VenueResponse {
  return {
    status,
    body: `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
    headers: { 'content-type': 'text/html' },
  };
}

/**
 * Bybit v5 as an unmodified ccxt 4.5.84 client uses it against a unified trading account: market
 * data, the account checks ccxt runs before trading, the unified wallet, market orders on spot and
 * USDT perpetuals (one-way `positionIdx` 0, hedge 1/2), leverage, position mode and positions.
 */
function createBybitProtocol(options: VenueOptions): VenueProtocol {
  const routes: readonly BybitRoute[] = [...bybitMarketRoutes, ...bybitAccountRoutes, ...createBybitOrderRoutes(), ...bybitPositionRoutes];
  const byRoute = new Map<VenueRoute, BybitRoute>(routes.map((route) => [route, route]));
  const limiter = new BybitRateLimiter(options.budgets);
  // Refusals built outside a request (faults, the server's own errors) still carry the simulator
  // clock: remember the engine the first request brought.
  let clock: { now(): number } = { now: () => Date.now() };
  return {
    name: 'bybit',
    routes,
    streams: bybitStreams(options.streamKeepAlive ?? true),
    authenticate: (request, engine) => {
      clock = engine;
      return authenticateBybit(request, engine);
    },
    engineError: (error: EngineError) => bybitEngineError(error, 'linear', clock.now()),
    notFound: () => bybitFail(10017, 'Route not found.', clock.now(), 404),
    badRequest: (_request, message) => bybitFail(PARAMS_ERROR, `params error: ${message}`, clock.now()),
    // A rate-limit fault is the UID refusal with its budget spent until `retryAfterMs` from now.
    rateLimited: (retryAfterMs, banned) => {
      if (banned) return ACCESS_TOO_FREQUENT;
      const now = clock.now();
      return tooManyVisits(now, { 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(now + retryAfterMs) });
    },
    serverError: () => gatewayPage(502, 'Bad Gateway'),
    sendStatusUnknown: () => gatewayPage(504, 'Gateway Time-out'),
    admit: (request, now) => limiter.admit(request.ip, now),
    rateLimit: (ctx, route) => {
      clock = ctx.engine;
      const bybitRoute = byRoute.get(route);
      return bybitRoute === undefined ? { headers: {} } : limiter.charge(ctx, bybitRoute);
    },
  };
}

export const bybitVenue = {
  name: 'bybit',
  accounts: {
    apiKeyHeader: 'x-bapi-api-key',
    passphrase: false,
    sharedWallet: true,
    generateCredentials: (random) => ({ apiKey: random.chars(18, ALPHANUMERIC), secret: random.chars(36, ALPHANUMERIC) }),
  },
  baseInstruments: BYBIT_BASE_INSTRUMENTS,
  realScale: BYBIT_REAL_SCALE,
  defaultLeverage: BYBIT_DEFAULT_LEVERAGE,
  // "Always unique"; whether spot and linear share the space is a rule option.
  clientOrderIds: (rules) => ({ scope: rules.bybitOrderLinkIdScope === 'category' ? 'market' : 'account', reuse: 'never' }),
  createProtocol: createBybitProtocol,
} as const satisfies VenueModule<'bybit'>;
