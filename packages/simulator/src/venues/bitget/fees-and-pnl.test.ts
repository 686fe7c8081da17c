import { describe, expect, it } from 'vitest';
import { createAccount, useSimulator } from '../../test-support';
import { bitgetClient, idOf, type BitgetClient } from '../../test-support/bitget-venue';

const BTC_PERP = 'BTC/USDT:USDT';

type PositionRow = Record<string, unknown>;

async function allPositions(client: BitgetClient): Promise<PositionRow[]> {
  const answer = (await client.privateMixGetV2MixPositionAllPosition({ productType: 'USDT-FUTURES', marginCoin: 'USDT' })) as { data: PositionRow[] };
  return answer.data;
}

/** What Bitget's v2 answers say about fees and realised PnL, read through ccxt. */
describe('bitget fees and realised PnL through ccxt', () => {
  const sim = useSimulator();

  it('takes a spot buy fee in the base coin and a sell fee in USDT, each in feeDetail under its coin', async () => {
    sim().prices.set('BTCUSDT', '65000', 'bitget');
    const account = createAccount(sim(), 'bitget', { balances: { USDT: '1000' } });
    const client = await bitgetClient(sim(), account);
    const bought = await client.fetchOrder(idOf(await client.createOrder('BTC/USDT', 'market', 'buy', 0.01, 65000)), 'BTC/USDT');
    expect(bought.fee).toEqual({ cost: 0.00001, currency: 'BTC' });
    const detail = JSON.parse((bought.info as { feeDetail: string }).feeDetail) as Record<string, unknown>;
    expect(detail.BTC).toEqual({ deduction: false, feeCoinCode: 'BTC', totalDeductionFee: 0, totalFee: -0.00001 });
    let spot = sim().balances('bitget', account.apiKey).spot;
    expect([spot.USDT?.free.toFixed(), spot.BTC?.free.toFixed()]).toEqual(['350', '0.00999']);

    const sold = await client.fetchOrder(idOf(await client.createOrder('BTC/USDT', 'market', 'sell', 0.00999)), 'BTC/USDT');
    expect(sold.fee).toEqual({ cost: 0.64935, currency: 'USDT' });
    spot = sim().balances('bitget', account.apiKey).spot;
    expect([spot.USDT?.free.toFixed(), spot.BTC?.free.toFixed()]).toEqual(['998.70065', '0']);
    expect(sim().ledger.orders({ apiKey: account.apiKey }).map((order) => order.feeAsset)).toEqual(['BTC', 'USDT']);
  });

  it('reports achievedProfits without fees and deductedFee for the open position, and no entry once it is closed', async () => {
    sim().prices.set('BTCUSDT', '65000', 'bitget');
    const account = createAccount(sim(), 'bitget');
    const client = await bitgetClient(sim(), account);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.02);
    const opened = await allPositions(client);
    // 1,300 of notional at the 0.06% taker rate.
    expect(opened).toMatchObject([{ holdSide: 'long', total: '0.02', achievedProfits: '0', deductedFee: '0.78' }]);

    sim().prices.set('BTCUSDT', '66000', 'bitget');
    const close = await client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    // +10 on the 0.01 closed; its fee (0.396) is counted in deductedFee, not in achievedProfits.
    expect(await allPositions(client)).toMatchObject([{ total: '0.01', achievedProfits: '10', deductedFee: '1.176' }]);
    expect((await client.fetchOrder(idOf(close), BTC_PERP)).info).toMatchObject({ totalProfits: '10', fee: '-0.396' });

    await client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    expect(await allPositions(client)).toEqual([]);
    expect(await client.fetchPositions([BTC_PERP])).toEqual([]);
    sim().prices.set('BTCUSDT', '65000', 'bitget');
  });
});
