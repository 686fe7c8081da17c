import type { EngineError, VenueModule, VenueOptions, VenueProtocol, VenueResponse, VenueRoute } from '../contract';
import { bybitAccountRoutes } from './bybit-account-routes';
import { authenticateBybit } from './bybit-auth';
import { BYBIT_BASE_INSTRUMENTS, BYBIT_DEFAULT_LEVERAGE, BYBIT_REAL_SCALE } from './bybit-catalogue';
import { bybitFail, PARAMS_ERROR } from './bybit-envelope';
import { bybitEngineError } from './bybit-errors';
import { bybitMarketRoutes } from './bybit-market-routes';
import { createBybitOrderRoutes } from './bybit-order-routes';
import { bybitPositionRoutes } from './bybit-position-routes';
import { bybitRateLimited, createBybitRateLimiter, type BybitRoute } from './bybit-rate-limit';

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
  const limit = createBybitRateLimiter(options.budgets);
  // Refusals built outside a request (faults, the server's own errors) still carry the simulator
  // clock: remember the engine the first request brought.
  let clock: { now(): number } = { now: () => Date.now() };
  return {
    name: 'bybit',
    routes,
    authenticate: (request, engine) => {
      clock = engine;
      return authenticateBybit(request, engine);
    },
    engineError: (error: EngineError) => bybitEngineError(error, 'linear', clock.now()),
    notFound: () => bybitFail(10017, 'Route not found.', clock.now(), 404),
    badRequest: (_request, message) => bybitFail(PARAMS_ERROR, `params error: ${message}`, clock.now()),
    rateLimited: (retryAfterMs, banned) => bybitRateLimited(retryAfterMs, banned, clock.now()),
    serverError: () => gatewayPage(502, 'Bad Gateway'),
    sendStatusUnknown: () => gatewayPage(504, 'Gateway Time-out'),
    rateLimit: (ctx, route) => {
      clock = ctx.engine;
      const bybitRoute = byRoute.get(route);
      return bybitRoute === undefined ? { headers: {} } : limit(ctx, bybitRoute);
    },
  };
}

export const bybitVenue: VenueModule = {
  name: 'bybit',
  baseInstruments: BYBIT_BASE_INSTRUMENTS,
  realScale: BYBIT_REAL_SCALE,
  defaultLeverage: BYBIT_DEFAULT_LEVERAGE,
  createProtocol: createBybitProtocol,
};
