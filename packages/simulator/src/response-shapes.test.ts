import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VenueName } from './contract';
import type { Simulator } from './start-simulator';
import { createAccount } from './test-support/accounts';
import { createCcxtClient, type CcxtClient } from './test-support/ccxt-client';
import { compareShape, type JsonShape } from './test-support/json-shape';
import { startTestSimulator } from './test-support/simulator';

/**
 * The simulator's answers against ccxt's recorded exchange answers (or, where ccxt recorded none,
 * the venue's documented example), field by field: every recorded field must be there with a
 * recorded JSON kind. Fields no recording shows are allowed and listed at the end. The skeletons
 * come from scripts/extract-recorded-shapes.ts.
 */

interface RecordedEndpoint {
  /** The ccxt recordings, or the documented example, the skeleton was taken from. */
  readonly from: readonly string[];
  readonly source: string;
  readonly shape: JsonShape;
}

interface Fixture {
  readonly venues: Readonly<Record<VenueName, { readonly endpoints: Readonly<Record<string, RecordedEndpoint>> }>>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', 'recorded-shapes.json'), 'utf8')) as Fixture;

/** An unmodified ccxt implicit-API method: it signs the request and returns the venue's JSON as parsed. */
function raw(client: CcxtClient, method: string, params: Record<string, unknown> = {}): Promise<unknown> {
  const call = (client as unknown as Record<string, unknown>)[method];
  if (typeof call !== 'function') throw new Error(`ccxt ${client.id} has no ${method}`);
  return (call as (this: CcxtClient, p: Record<string, unknown>) => Promise<unknown>).call(client, params);
}

/** The venue's own id of a just-placed order, from its create answer. */
function orderIdOf(venue: VenueName, answer: unknown): string {
  const body = answer as { orderId?: unknown; result?: { orderId?: unknown }; data?: { orderId?: unknown } };
  const id = venue === 'binance' ? body.orderId : venue === 'bybit' ? body.result?.orderId : body.data?.orderId;
  if (typeof id !== 'string' && typeof id !== 'number') throw new Error(`${venue}: no order id in ${JSON.stringify(answer)}`);
  return String(id);
}

type Calls = Readonly<Record<string, () => Promise<unknown>>>;

/**
 * One answer per recorded endpoint, after placing a spot buy and opening a futures position so
 * that every list the recordings fill (fills, trades, positions) has an entry here too.
 */
async function answersOf(venue: VenueName, client: CcxtClient): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = {};
  const run = async (calls: Calls): Promise<void> => {
    for (const [endpoint, call] of Object.entries(calls)) answers[endpoint] = await call();
  };
  switch (venue) {
    case 'binance': {
      await run({
        'GET /api/v3/exchangeInfo': () => raw(client, 'publicGetExchangeInfo'),
        'POST /api/v3/order': () => raw(client, 'privatePostOrder', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newOrderRespType: 'FULL' }),
        'POST /fapi/v1/order': () =>
          raw(client, 'fapiPrivatePostOrder', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newOrderRespType: 'RESULT' }),
      });
      const spotId = orderIdOf(venue, answers['POST /api/v3/order']);
      const futuresId = orderIdOf(venue, answers['POST /fapi/v1/order']);
      await run({
        'GET /api/v3/order': () => raw(client, 'privateGetOrder', { symbol: 'BTCUSDT', orderId: spotId }),
        'GET /fapi/v1/order': () => raw(client, 'fapiPrivateGetOrder', { symbol: 'BTCUSDT', orderId: futuresId }),
        'GET /api/v3/account': () => raw(client, 'privateGetAccount'),
        'GET /fapi/v2/account': () => raw(client, 'fapiPrivateV2GetAccount'),
        'GET /fapi/v3/account': () => raw(client, 'fapiPrivateV3GetAccount'),
        'GET /fapi/v3/positionRisk': () => raw(client, 'fapiPrivateV3GetPositionRisk'),
        'GET /api/v3/myTrades': () => raw(client, 'privateGetMyTrades', { symbol: 'BTCUSDT' }),
        'GET /fapi/v1/userTrades': () => raw(client, 'fapiPrivateGetUserTrades', { symbol: 'BTCUSDT' }),
        'GET /fapi/v1/symbolConfig': () => raw(client, 'fapiPrivateGetSymbolConfig', { symbol: 'BTCUSDT' }),
      });
      return answers;
    }
    case 'bybit': {
      await run({
        'GET /v5/market/instruments-info (linear)': () => raw(client, 'publicGetV5MarketInstrumentsInfo', { category: 'linear' }),
        'GET /v5/market/instruments-info (spot)': () => raw(client, 'publicGetV5MarketInstrumentsInfo', { category: 'spot' }),
        'POST /v5/position/set-leverage': () =>
          raw(client, 'privatePostV5PositionSetLeverage', { category: 'linear', symbol: 'ETHUSDT', buyLeverage: '5', sellLeverage: '5' }),
        // Away to hedge mode and back, before any position exists: the second answer is kept.
        'POST /v5/position/switch-mode': async () => {
          await raw(client, 'privatePostV5PositionSwitchMode', { category: 'linear', coin: 'USDT', mode: 3 });
          return raw(client, 'privatePostV5PositionSwitchMode', { category: 'linear', coin: 'USDT', mode: 0 });
        },
        'POST /v5/order/create (spot)': () =>
          raw(client, 'privatePostV5OrderCreate', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.01', marketUnit: 'baseCoin' }),
        'POST /v5/order/create (linear)': () =>
          raw(client, 'privatePostV5OrderCreate', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '0.01', positionIdx: 0 }),
      });
      const spotId = orderIdOf(venue, answers['POST /v5/order/create (spot)']);
      const linearId = orderIdOf(venue, answers['POST /v5/order/create (linear)']);
      await run({
        'GET /v5/order/realtime (spot)': () => raw(client, 'privateGetV5OrderRealtime', { category: 'spot', orderId: spotId }),
        'GET /v5/order/history (spot)': () => raw(client, 'privateGetV5OrderHistory', { category: 'spot', orderId: spotId }),
        'GET /v5/order/realtime (linear)': () => raw(client, 'privateGetV5OrderRealtime', { category: 'linear', symbol: 'BTCUSDT', orderId: linearId }),
        'GET /v5/order/history (linear)': () => raw(client, 'privateGetV5OrderHistory', { category: 'linear', orderId: linearId }),
        'GET /v5/account/wallet-balance': () => raw(client, 'privateGetV5AccountWalletBalance', { accountType: 'UNIFIED' }),
        'GET /v5/position/list': () => raw(client, 'privateGetV5PositionList', { category: 'linear', symbol: 'BTCUSDT' }),
      });
      return answers;
    }
    case 'bitget': {
      const futures = { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', marginCoin: 'USDT' };
      await run({
        'POST /api/v2/spot/trade/place-order': () =>
          raw(client, 'privateSpotPostV2SpotTradePlaceOrder', { symbol: 'BTCUSDT', side: 'buy', orderType: 'market', force: 'gtc', size: '700' }),
        'POST /api/v2/mix/order/place-order': () =>
          raw(client, 'privateMixPostV2MixOrderPlaceOrder', { ...futures, marginMode: 'crossed', size: '0.01', side: 'buy', orderType: 'market' }),
      });
      const spotId = orderIdOf(venue, answers['POST /api/v2/spot/trade/place-order']);
      const futuresId = orderIdOf(venue, answers['POST /api/v2/mix/order/place-order']);
      await run({
        'GET /api/v2/spot/trade/orderInfo': () => raw(client, 'privateSpotGetV2SpotTradeOrderInfo', { orderId: spotId }),
        'GET /api/v2/mix/order/detail': () => raw(client, 'privateMixGetV2MixOrderDetail', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', orderId: futuresId }),
        'GET /api/v2/spot/account/assets': () => raw(client, 'privateSpotGetV2SpotAccountAssets'),
        'GET /api/v2/mix/account/account': () => raw(client, 'privateMixGetV2MixAccountAccount', futures),
        'GET /api/v2/mix/position/all-position': () => raw(client, 'privateMixGetV2MixPositionAllPosition', { productType: 'USDT-FUTURES', marginCoin: 'USDT' }),
        'GET /api/v2/mix/position/single-position': () => raw(client, 'privateMixGetV2MixPositionSinglePosition', futures),
      });
      return answers;
    }
  }
}

let sim: Simulator;
const extras: string[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.close();
  // Fields the simulator sends that no recording shows: allowed (the venues add fields over time).
  if (extras.length > 0) console.info(`fields beyond ccxt's recordings:\n  ${extras.join('\n  ')}`);
});

describe.each(['binance', 'bybit', 'bitget'] as const)('%s answers have the recorded or documented fields and JSON kinds', (venue) => {
  const recorded = fixture.venues[venue];
  let answers: Record<string, unknown>;

  beforeAll(async () => {
    const client = createCcxtClient(venue, sim, createAccount(sim, venue));
    answers = await answersOf(venue, client);
  });

  it('covers every recorded endpoint and no other', () => {
    expect(Object.keys(answers).sort()).toEqual(Object.keys(recorded.endpoints).sort());
  });

  it.each(Object.keys(recorded.endpoints))('%s', (endpoint) => {
    const expected = recorded.endpoints[endpoint];
    if (!expected) throw new Error(`no recording for ${endpoint}`);
    const report = compareShape(expected.shape, answers[endpoint]);
    extras.push(...report.extra.map((path) => `${venue} ${endpoint} ${path}`));
    expect({ missing: report.missing, mismatched: report.mismatched }, `against ${expected.source} (${expected.from.join('; ')})`).toEqual({
      missing: [],
      mismatched: [],
    });
  });
});
