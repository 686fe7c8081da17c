import { EngineError, type Account, type EngineApi, type PositionSide } from '../../contract';
import { BitgetRefusal, BITGET_CODES, refusal } from './errors';
import { futuresAccountFigures, futuresAccountRow, posModeOf, positionRow, spotAssetRow } from './format';
import { accountOf, checkMarginCoin, enumParam, futuresSymbol, isUsdtFutures, optionalParam, paramsOf, requiredParam } from './params';
import { signedRoute, type BitgetRoute } from './route';

/** Idempotent setup: asking for what is already set succeeds, as on the real venue. */
function unlessAlready(run: () => void, code: 'LEVERAGE_NOT_MODIFIED' | 'POSITION_MODE_NOT_MODIFIED'): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof EngineError && error.code === code)) throw error;
  }
}

function leverageOf(engine: EngineApi, account: Account, symbol: string, side: 'long' | 'short'): number {
  return engine.leverage(account, symbol, account.positionMode === 'hedge' ? side : 'both');
}

function positionsOf(engine: EngineApi, account: Account, symbol?: string): unknown[] {
  const now = engine.now();
  return engine.positions(account, symbol).map((position) => positionRow(position, account, now));
}

/** Balances, leverage, position mode and positions, plus the unified-account probe ccxt sends first. */
export const BITGET_ACCOUNT_ROUTES: readonly BitgetRoute[] = [
  // ccxt probes this once per client to choose between the classic and the unified (UTA) API;
  // simulated accounts are classic, so they answer as a classic account does.
  signedRoute('GET', '/api/v3/account/settings', 'spot', 10, () => {
    throw new BitgetRefusal('40084', 'You are in Classic Account mode, and the Unified Account API is not supported at this time');
  }),

  signedRoute('GET', '/api/v2/spot/account/assets', 'spot', 10, (ctx) => {
    const coin = optionalParam(ctx.request.query, 'coin')?.toUpperCase();
    const now = ctx.engine.now();
    return ctx.engine
      .balances(accountOf(ctx), 'spot')
      .filter((balance) => coin === undefined || balance.asset === coin)
      .map((balance) => spotAssetRow(balance, now));
  }),

  signedRoute('GET', '/api/v2/mix/account/accounts', 'futures', 10, (ctx) =>
    isUsdtFutures(ctx.request.query) ? [futuresAccountRow(futuresAccountFigures(ctx.engine, accountOf(ctx)))] : [],
  ),

  // One symbol's account view: the only place Bitget reports posMode (ccxt's fetchLeverage reads it).
  signedRoute('GET', '/api/v2/mix/account/account', 'futures', 10, (ctx) => {
    const account = accountOf(ctx);
    const symbol = futuresSymbol(ctx.engine, ctx.request.query, 'required');
    const long = leverageOf(ctx.engine, account, symbol, 'long');
    return {
      ...futuresAccountRow(futuresAccountFigures(ctx.engine, account)),
      crossedMarginLeverage: long,
      isolatedLongLever: long,
      isolatedShortLever: leverageOf(ctx.engine, account, symbol, 'short'),
      marginMode: 'crossed',
      posMode: posModeOf(account),
    };
  }),

  signedRoute('POST', '/api/v2/mix/account/set-leverage', 'futures', 5, (ctx) => {
    const account = accountOf(ctx);
    const params = paramsOf(ctx);
    const symbol = futuresSymbol(ctx.engine, params, 'required');
    const text = requiredParam(params, 'leverage');
    if (!/^\d{1,6}$/.test(text)) throw new EngineError('LEVERAGE_INVALID', `Leverage ${text} is not an integer`);
    const holdSide = optionalParam(params, 'holdSide') === undefined ? undefined : enumParam(params, 'holdSide', ['long', 'short']);
    // Cross margin shares one leverage per symbol; only a hedge-mode leg can be set on its own.
    const side: PositionSide | undefined = account.positionMode === 'hedge' ? holdSide : undefined;
    unlessAlready(() => {
      ctx.engine.setLeverage(account, symbol, Number(text), side);
    }, 'LEVERAGE_NOT_MODIFIED');
    const long = String(leverageOf(ctx.engine, account, symbol, 'long'));
    return {
      symbol,
      marginCoin: 'USDT',
      longLeverage: long,
      shortLeverage: String(leverageOf(ctx.engine, account, symbol, 'short')),
      crossMarginLeverage: long,
      marginMode: 'crossed',
    };
  }),

  signedRoute('POST', '/api/v2/mix/account/set-position-mode', 'futures', 5, (ctx) => {
    const account = accountOf(ctx);
    const params = paramsOf(ctx);
    if (!isUsdtFutures(params)) throw refusal(BITGET_CODES.parameterError, 'productType');
    const posMode = enumParam(params, 'posMode', ['one_way_mode', 'hedge_mode']);
    unlessAlready(() => {
      ctx.engine.setPositionMode(account, posMode === 'hedge_mode' ? 'hedge' : 'oneway');
    }, 'POSITION_MODE_NOT_MODIFIED');
    return { posMode };
  }),

  signedRoute('GET', '/api/v2/mix/position/all-position', 'futures', 5, (ctx) => {
    if (!isUsdtFutures(ctx.request.query)) return [];
    checkMarginCoin(ctx.request.query, false);
    return positionsOf(ctx.engine, accountOf(ctx));
  }),

  signedRoute('GET', '/api/v2/mix/position/single-position', 'futures', 10, (ctx) =>
    positionsOf(ctx.engine, accountOf(ctx), futuresSymbol(ctx.engine, ctx.request.query, 'required')),
  ),
];
