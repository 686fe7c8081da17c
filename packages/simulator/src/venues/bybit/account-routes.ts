import { Decimal } from 'decimal.js';
import { EngineError, type EngineApi, type VenueContext, type VenueResponse } from '../../contract';
import { bybitOk } from './envelope';
import { answering, signedAccount, optionalString, paramsOf, requiredString } from './params';
import { maintenanceMargin } from './position-routes';
import type { BybitRoute } from './rate-limit';
import { formatDecimal } from '../shared/decimal';

const ZERO = new Decimal(0);
const SETTLE_COIN = 'USDT';
const ISO_CREATED = '2024-01-01T00:00:00Z';
const KEY_LIFETIME_MS = 90 * 24 * 3600 * 1000;

function money(value: Decimal): string {
  return formatDecimal(value.toDecimalPlaces(8));
}

function ratio(numerator: Decimal, denominator: Decimal): string {
  return denominator.isZero() ? '0' : formatDecimal(numerator.div(denominator).toDecimalPlaces(4));
}

/**
 * `GET /v5/user/query-api`: ccxt reads `uta` here (with /v5/account/info) to learn that the key
 * belongs to a unified trading account before it fetches balances, orders or positions.
 */
function queryApi(ctx: VenueContext): VenueResponse {
  const account = signedAccount(ctx);
  const now = ctx.engine.now();
  return bybitOk(
    {
      id: account.uid,
      note: 'xport-sim',
      apiKey: account.apiKey,
      readOnly: 0,
      secret: '',
      permissions: {
        ContractTrade: ['Order', 'Position'],
        Spot: ['SpotTrade'],
        Wallet: ['AccountTransfer', 'SubMemberTransfer'],
        Options: ['OptionsTrade'],
        Derivatives: ['DerivativesTrade'],
        CopyTrading: [],
        BlockTrade: [],
        Exchange: [],
        NFT: [],
        Affiliate: [],
        Earn: [],
      },
      ips: ['*'],
      type: 1,
      deadlineDay: 90,
      expiredAt: new Date(now + KEY_LIFETIME_MS).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      createdAt: ISO_CREATED,
      unified: 0,
      uta: 1,
      userID: Number(account.uid),
      inviterID: 0,
      vipLevel: 'No VIP',
      mktMakerLevel: '0',
      affiliateID: 0,
      rsaPublicKey: '',
      isMaster: true,
      parentUid: '0',
      kycLevel: 'LEVEL_DEFAULT',
      kycRegion: '',
    },
    now,
  );
}

/** `GET /v5/account/info`: a unified trading account 2.0 Pro (status 6) in cross margin. */
function accountInfo(ctx: VenueContext): VenueResponse {
  const now = ctx.engine.now();
  return bybitOk(
    {
      unifiedMarginStatus: 6,
      marginMode: 'REGULAR_MARGIN',
      isMasterTrader: false,
      spotHedgingStatus: 'OFF',
      updatedTime: String(now),
      dcpStatus: 'OFF',
      timeWindow: 10,
      smpGroup: 0,
    },
    now,
  );
}

function coinsListed(engine: EngineApi): string[] {
  const coins = new Set<string>([SETTLE_COIN]);
  for (const instrument of engine.instruments('bybit', 'spot')) coins.add(instrument.base);
  for (const instrument of engine.instruments('bybit', 'futures')) coins.add(instrument.base);
  return [...coins];
}

function coinFilter(params: Readonly<Record<string, unknown>>): Set<string> | undefined {
  const coin = optionalString(params, 'coin');
  return coin === undefined ? undefined : new Set(coin.split(','));
}

/** `GET /v5/asset/coin/query-info`: ccxt's fetchCurrencies calls it when it has credentials. */
function coinInfo(ctx: VenueContext): VenueResponse {
  const wanted = coinFilter(paramsOf(ctx));
  const rows = coinsListed(ctx.engine)
    .filter((coin) => wanted === undefined || wanted.has(coin))
    .map((coin) => ({
      name: coin,
      coin,
      remainAmount: '1000000',
      chains: [
        {
          chainType: coin,
          confirmation: '12',
          withdrawFee: '0',
          depositMin: '0',
          withdrawMin: '0',
          chain: coin,
          chainDeposit: '1',
          chainWithdraw: '1',
          minAccuracy: '8',
          withdrawPercentageFee: '0',
          contractAddress: '',
          safeConfirmNumber: '12',
        },
      ],
    }));
  return bybitOk({ rows }, ctx.engine.now());
}

function usdPrice(engine: EngineApi, coin: string): Decimal {
  if (coin === SETTLE_COIN) return new Decimal(1);
  try {
    return engine.markPrice('bybit', `${coin}${SETTLE_COIN}`);
  } catch (error) {
    if (error instanceof EngineError) return ZERO;
    throw error;
  }
}

/**
 * `GET /v5/account/wallet-balance?accountType=UNIFIED`: the one unified wallet. Position margin
 * shows as `totalPositionIM`; `availableToWithdraw` is empty as on UTA 2.0, so ccxt derives
 * free = walletBalance − (locked + totalPositionIM + totalOrderIM).
 */
function walletBalance(ctx: VenueContext): VenueResponse {
  const params = paramsOf(ctx);
  if (requiredString(params, 'accountType') !== 'UNIFIED') throw new EngineError('INVALID_PARAMETER', 'accountType only support UNIFIED.');
  const wanted = coinFilter(params);
  const account = signedAccount(ctx);
  const engine = ctx.engine;
  const positions = engine.positions(account);
  const upl = positions.reduce((sum, position) => sum.plus(position.unrealisedPnl), ZERO);
  const maintenance = positions.reduce((sum, position) => sum.plus(maintenanceMargin(position)), ZERO);
  let totalWallet = ZERO;
  let totalEquity = ZERO;
  let totalInitial = ZERO;
  const coins: Record<string, unknown>[] = [];
  for (const balance of engine.balances(account, 'unified')) {
    const wallet = balance.free.plus(balance.locked);
    if (wanted === undefined ? wallet.isZero() : !wanted.has(balance.asset)) continue;
    const settles = balance.asset === SETTLE_COIN;
    const coinUpl = settles ? upl : ZERO;
    const equity = wallet.plus(coinUpl);
    const usd = usdPrice(engine, balance.asset);
    totalWallet = totalWallet.plus(wallet.times(usd));
    totalEquity = totalEquity.plus(equity.times(usd));
    totalInitial = totalInitial.plus(balance.locked.times(usd));
    coins.push({
      coin: balance.asset,
      equity: money(equity),
      usdValue: money(equity.times(usd)),
      walletBalance: money(wallet),
      locked: '0',
      spotHedgingQty: '0',
      borrowAmount: '0',
      availableToWithdraw: '',
      accruedInterest: '0',
      totalOrderIM: '0',
      totalPositionIM: money(balance.locked),
      totalPositionMM: money(settles ? maintenance : ZERO),
      unrealisedPnl: money(coinUpl),
      cumRealisedPnl: '0',
      bonus: '0',
      marginCollateral: true,
      collateralSwitch: true,
      availableToBorrow: '',
      spotBorrow: '0',
    });
  }
  const marginBalance = totalWallet.plus(upl);
  const entry = {
    accountType: 'UNIFIED',
    accountIMRate: ratio(totalInitial, marginBalance),
    accountMMRate: ratio(maintenance, marginBalance),
    totalEquity: money(totalEquity),
    totalWalletBalance: money(totalWallet),
    totalMarginBalance: money(marginBalance),
    totalAvailableBalance: money(marginBalance.minus(totalInitial)),
    totalPerpUPL: money(upl),
    totalInitialMargin: money(totalInitial),
    totalMaintenanceMargin: money(maintenance),
    accountLTV: '0',
    coin: coins,
  };
  return bybitOk({ list: [entry] }, engine.now());
}

export const bybitAccountRoutes: readonly BybitRoute[] = [
  { method: 'GET', path: '/v5/user/query-api', kind: 'other', signed: true, perSecond: 10, handle: answering(queryApi) },
  { method: 'GET', path: '/v5/account/info', kind: 'other', signed: true, perSecond: 50, handle: answering(accountInfo) },
  { method: 'GET', path: '/v5/asset/coin/query-info', kind: 'other', signed: true, perSecond: 5, handle: answering(coinInfo) },
  { method: 'GET', path: '/v5/account/wallet-balance', kind: 'other', signed: true, perSecond: 50, handle: answering(walletBalance) },
];
