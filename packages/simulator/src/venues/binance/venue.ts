import { ALPHANUMERIC } from '../../random';
import type { EngineApi, VenueContext, VenueModule, VenueOptions, VenueProtocol, VenueRequest, VenueResponse } from '../../contract';
import { authenticateBinance } from './auth';
import { BINANCE_BASE_INSTRUMENTS, BINANCE_DEFAULT_LEVERAGE, BINANCE_REAL_SCALE } from './catalogue';
import { INTERNAL_ERROR, SEND_STATUS_UNKNOWN, binanceError, engineErrorAnswer, marketOfPath } from './errors';
import { futuresRoutes } from './futures-routes';
import { ExchangeInfoCache } from './market-data';
import { readParams } from './params';
import { BinanceOrderCounter, countOrders } from './order-count';
import { BinanceWeightLimiter, ipBanned, tooMuchWeight } from './rate-limit';
import type { BinanceRouteKit } from './route-kit';
import { spotRoutes } from './spot-routes';
import { ListenKeys, binanceStreams, listenKeyRoutes } from './streams';

/**
 * Binance's REST protocol: spot (`/api`, `/sapi`), USDⓈ-M (`/fapi`) and the COIN-M market data
 * (`/dapi`) ccxt loads, with HMAC-SHA256 request signing, `{ code, msg }` errors, request weight per
 * client address and order counts per account. One instance per server; its rate-limit state starts
 * over with it.
 */
export function createBinanceProtocol(options: VenueOptions): VenueProtocol {
  const limiter = new BinanceWeightLimiter(options.budgets);
  const orderCounts = new BinanceOrderCounter(options.budgets);
  const parsed = new WeakMap<VenueRequest, Readonly<Record<string, string>>>();
  const paramsOf = (request: VenueRequest): Readonly<Record<string, string>> => {
    let params = parsed.get(request);
    if (!params) {
      params = readParams(request);
      parsed.set(request, params);
    }
    return params;
  };
  // The last simulator time seen, for the "banned until" of a rate-limit fault, which has no context.
  let lastNow = 0;
  const kit: BinanceRouteKit = {
    params: (ctx: VenueContext) => paramsOf(ctx.request),
    exchangeInfo: new ExchangeInfoCache(),
    weightBudget: (pool) => limiter.budget(pool),
    orderLimits: (market) => orderCounts.limits(market),
  };

  const listenKeys = new ListenKeys();

  return {
    name: 'binance',
    streams: binanceStreams(listenKeys, options.streamKeepAlive ?? true),
    routes: [...spotRoutes(kit), ...futuresRoutes(kit), ...listenKeyRoutes(listenKeys)].map((route) => (route.kind === 'order.create' ? countOrders(route, orderCounts) : route)),
    authenticate: (request: VenueRequest, engine: EngineApi) => authenticateBinance(request, engine, paramsOf(request)),
    engineError: (error, route) => engineErrorAnswer(error, marketOfPath(route.path)),
    // Binance's gateway answers an unknown path with a bare 404 and no JSON body.
    notFound: (): VenueResponse => ({ status: 404, body: '' }),
    badRequest: (): VenueResponse => binanceError(400, -1104, 'Not all sent parameters were read; read 0 parameter(s) but was sent 1.'),
    rateLimited: (retryAfterMs, banned) =>
      banned ? ipBanned(lastNow + retryAfterMs, retryAfterMs) : tooMuchWeight(limiter.budget('api'), retryAfterMs),
    serverError: () => INTERNAL_ERROR,
    sendStatusUnknown: () => SEND_STATUS_UNKNOWN,
    rateLimit: (ctx, route) => {
      lastNow = ctx.engine.now();
      return limiter.charge(ctx.request.ip, route.path, route.weight ?? 1, lastNow);
    },
  };
}

export const binanceVenue = {
  name: 'binance',
  accounts: {
    apiKeyHeader: 'x-mbx-apikey',
    passphrase: false,
    sharedWallet: false,
    generateCredentials: (random) => ({ apiKey: random.chars(64, ALPHANUMERIC), secret: random.chars(64, ALPHANUMERIC) }),
  },
  baseInstruments: BINANCE_BASE_INSTRUMENTS,
  realScale: BINANCE_REAL_SCALE,
  defaultLeverage: BINANCE_DEFAULT_LEVERAGE,
  // Spot and USDⓈ-M are separate systems; each wants a client order id unique among open orders only.
  clientOrderIds: () => ({ scope: 'market', reuse: 'whenClosed' }),
  createProtocol: createBinanceProtocol,
} as const satisfies VenueModule<'binance'>;
