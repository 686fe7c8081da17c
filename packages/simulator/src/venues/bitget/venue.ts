import { ALPHANUMERIC, HEX } from '../../random';
import type { EngineApi, VenueModule, VenueOptions, VenueProtocol, VenueResponse } from '../../contract';
import { BITGET_ACCOUNT_ROUTES } from './account-routes';
import { authenticateBitget } from './auth';
import { BITGET_BASE_INSTRUMENTS, BITGET_REAL_SCALE } from './catalogue';
import { BITGET_CODES, bitgetFail, engineErrorAnswer } from './errors';
import { BITGET_MARKET_ROUTES } from './market-routes';
import { BITGET_ORDER_ROUTES } from './order-routes';
import { BITGET_BUDGETS, BitgetRateLimiter, bitgetTooManyRequests, type BitgetBudgets } from './rate-limit';
import { bitgetStreams } from './streams';
import type { BitgetRoute } from './route';

/** What Bitget's edge answers when the backend fails: a gateway page, not the JSON envelope. */
function gatewayPage(status: number, title: string): VenueResponse {
  return {
    status,
    body: `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
    headers: { 'content-type': 'text/html' },
  };
}

/**
 * Bitget's REST protocol (classic account, API v2): `https://api.bitget.com/api/...` served at
 * `<url>/bitget/api/...`. Per-endpoint rate limits per UID (private) or IP (public) and an overall
 * limit per IP, answered with 429 and `Retry-After`; no ban.
 */
export function createBitgetProtocol(options: VenueOptions<BitgetBudgets>): VenueProtocol {
  const routes: readonly BitgetRoute[] = [...BITGET_MARKET_ROUTES, ...BITGET_ACCOUNT_ROUTES, ...BITGET_ORDER_ROUTES];
  const budgets = new Map(routes.map((route) => [route.path, route.perSecond]));
  const limiter = new BitgetRateLimiter(options.budgets);
  // Answers without a request context (unknown path, faults) stamp the engine clock once seen.
  let engine: EngineApi | undefined;
  const now = (): number => engine?.now() ?? Date.now();
  return {
    name: 'bitget',
    routes,
    streams: bitgetStreams(options.streamKeepAlive ?? true),
    authenticate: (request, seen) => {
      engine = seen;
      return authenticateBitget(request, seen);
    },
    engineError: (error, route) => {
      const [code, msg] = engineErrorAnswer(error, route.path.includes('/mix/') ? 'futures' : 'spot');
      return bitgetFail(now(), code, msg);
    },
    notFound: () => bitgetFail(now(), BITGET_CODES.urlNotFound[0], BITGET_CODES.urlNotFound[1], 404),
    badRequest: (_request, message) => bitgetFail(now(), BITGET_CODES.parameterVerification[0], `Parameter verification failed: ${message}`),
    rateLimited: (retryAfterMs) => bitgetTooManyRequests(now(), retryAfterMs),
    serverError: () => gatewayPage(502, 'Bad Gateway'),
    sendStatusUnknown: () => gatewayPage(504, 'Gateway Time-out'),
    admit: (request, at) => limiter.admit(request.ip, at),
    rateLimit: (ctx, route) => {
      engine = ctx.engine;
      return limiter.check(ctx, route.path, budgets.get(route.path) ?? 10);
    },
  };
}

export const bitgetVenue = {
  name: 'bitget',
  accounts: {
    apiKeyHeader: 'access-key',
    passphrase: true,
    sharedWallet: false,
    generateCredentials: (random) => ({ apiKey: `bg_${random.chars(32, HEX)}`, secret: random.chars(64, HEX), passphrase: random.chars(12, ALPHANUMERIC) }),
  },
  baseInstruments: BITGET_BASE_INSTRUMENTS,
  realScale: BITGET_REAL_SCALE,
  // The uniqueness check covers pending orders only; spot and futures are separate order systems.
  clientOrderIds: () => ({ scope: 'market', reuse: 'whenClosed' }),
  budgets: BITGET_BUDGETS,
  createProtocol: createBitgetProtocol,
} as const satisfies VenueModule<'bitget', typeof BITGET_BUDGETS>;
