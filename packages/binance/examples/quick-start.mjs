// Run from the repository root after a build:
//   npx pnpm@10.34.9 --filter @xport/binance... run build && node packages/binance/examples/quick-start.mjs
import { Decimal } from '@xport/core';
import { startSimulator } from '@xport/simulator';

import { createBinanceAdapter } from '@xport/binance';

const sim = await startSimulator({ port: 0, seed: 42 });
try {
  const account = sim.accounts.create({ venue: 'binance', balances: { USDT: '10000' }, futuresBalances: { USDT: '5000' }, positionMode: 'hedge' });
  const binance = createBinanceAdapter({ apiKey: account.apiKey, apiSecret: account.secret, baseUrl: `${sim.url}/binance` });

  await binance.initialize();
  console.log('position mode:', binance.positionMode);

  const buy = await binance.executeSpotBuy('BTCUSDT', new Decimal('0.01'), { idempotencyKey: 'signal-1:follower-1' });
  console.log('spot buy:', buy.status, buy.filledQuantity.toFixed(), 'BTC at', buy.averagePrice?.toFixed(), 'fee', buy.fee?.amount.toFixed(), buy.fee?.asset);

  const long = await binance.executeFuturesLong('ETHUSDT', new Decimal('1'), 10);
  const short = await binance.executeFuturesShort('ETHUSDT', new Decimal('0.5'), 10);
  console.log('legs:', long.positionSide, long.filledQuantity.toFixed(), '/', short.positionSide, short.filledQuantity.toFixed());

  const close = await binance.closeFuturesPosition('ETHUSDT', 'long');
  console.log('closed:', close.positionSide, close.filledQuantity.toFixed(), 'ETH; still open:', sim.positions('binance', account.apiKey).map((p) => `${p.side} ${p.size.toFixed()}`));

  const usdt = await binance.getBalance('USDT', { market: 'futures' });
  console.log('futures USDT:', usdt.free.toFixed(), 'free,', usdt.locked.toFixed(), 'locked');
  const rules = await binance.getSymbolInfo('BTCUSDT', { market: 'futures' });
  console.log('BTCUSDT perpetual: step', rules.quantityStep.toFixed(), 'min notional', rules.minNotional.toFixed(), 'max leverage', rules.maxLeverage);
} finally {
  await sim.close();
}
