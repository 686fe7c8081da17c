import { EngineError, type Market, type RouteKind, type VenueContext, type VenueRoute } from '../../contract';
import { BitgetRefusal, bitgetFail, bitgetOk, engineErrorAnswer } from './errors';
import { formatDecimal } from '../shared/decimal';

/** A Bitget route with its own per-second budget (Bitget limits each endpoint separately). */
export interface BitgetRoute extends VenueRoute {
  readonly perSecond: number;
}

export interface BitgetRouteSpec {
  readonly method: 'GET' | 'POST';
  /** The path ccxt calls below the host, `/api/v2/...`. */
  readonly path: string;
  readonly kind?: RouteKind;
  readonly signed: boolean;
  /** The endpoint's real budget: per IP for public routes, per UID for private ones. */
  readonly perSecond: number;
  /** Which of the venue's codes an engine refusal gets (spot and futures differ). */
  readonly market: Market;
  /** Returns the envelope's `data`, or throws a BitgetRefusal or an EngineError. */
  readonly run: (ctx: VenueContext) => unknown;
}

function minNotionalOf(ctx: VenueContext, market: Market): string | undefined {
  const source = ctx.request.method === 'GET' ? ctx.request.query : ctx.request.body;
  const symbol = source?.symbol;
  if (typeof symbol !== 'string') return undefined;
  const instrument = ctx.engine.instrument('bitget', market, symbol);
  return instrument ? formatDecimal(instrument.minNotional) : undefined;
}

/** Wraps a route body in Bitget's envelope and answers its refusals in Bitget's words. */
export function bitgetRoute(spec: BitgetRouteSpec): BitgetRoute {
  return {
    method: spec.method,
    path: spec.path,
    kind: spec.kind ?? 'other',
    signed: spec.signed,
    perSecond: spec.perSecond,
    handle: (ctx) => {
      try {
        const data = spec.run(ctx);
        return bitgetOk(ctx.engine.now(), data);
      } catch (error) {
        if (error instanceof BitgetRefusal) return bitgetFail(ctx.engine.now(), error.code, error.msg, error.status);
        if (error instanceof EngineError) {
          const [code, msg] = engineErrorAnswer(error, spec.market, minNotionalOf(ctx, spec.market));
          return bitgetFail(ctx.engine.now(), code, msg);
        }
        throw error;
      }
    },
  };
}

type Run = BitgetRouteSpec['run'];

/** A public GET, budgeted per IP. */
export function publicGet(path: string, market: Market, perSecond: number, run: Run): BitgetRoute {
  return bitgetRoute({ method: 'GET', path, signed: false, perSecond, market, run });
}

/** A signed route, budgeted per UID. */
export function signedRoute(
  method: 'GET' | 'POST',
  path: string,
  market: Market,
  perSecond: number,
  run: Run,
  kind: RouteKind = 'other',
): BitgetRoute {
  return bitgetRoute({ method, path, kind, signed: true, perSecond, market, run });
}
