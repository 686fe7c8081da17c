// Run from the repository root after a build:
//   npx pnpm@10.34.9 --filter @xport/bybit... run build && node packages/bybit/examples/quick-start.mjs
import { Decimal } from '@xport/core';
import { startSimulator } from '@xport/simulator';

import { createBybitAdapter } from '@xport/bybit';

const sim = await startSimulator({ port: 0, seed: 42 });
try {
  const account = sim.accounts.create({ venue: 'bybit', balances: { USDT: '10000' }, positionMode: 'hedge' });
  const bybit = createBybitAdapter({ apiKey: account.apiKey, apiSecret: account.secret, baseUrl: `${sim.url}/bybit` });

  await bybit.initialize();
  console.log('position mode:', bybit.positionMode);

  const buy = await bybit.executeSpotBuy('BTC/USDT', new Decimal('0.01'));
  console.log('spot buy:', buy.status, buy.filledQuantity.toFixed(), 'BTC at', buy.averagePrice?.toFixed(), 'fee', buy.fee?.amount.toFixed(), buy.fee?.asset);

  const long = await bybit.executeFuturesLong('ETH/USDT', new Decimal('1'), 10);
  const short = await bybit.executeFuturesShort('ETH/USDT', new Decimal('0.5'), 10);
  console.log('legs:', long.positionSide, long.filledQuantity.toFixed(), '/', short.positionSide, short.filledQuantity.toFixed());

  const close = await bybit.closeFuturesPosition('ETH/USDT', 'long');
  console.log('closed:', close.positionSide, close.filledQuantity.toFixed(), 'ETH; still open:', sim.positions('bybit', account.apiKey).map((p) => `${p.side} ${p.size.toFixed()}`));

  const usdt = await bybit.getBalance('USDT', { market: 'futures' });
  console.log('unified USDT:', usdt.free.toFixed(), 'free,', usdt.locked.toFixed(), 'locked');
  const rules = await bybit.getSymbolInfo('BTC/USDT', { market: 'futures' });
  console.log('BTCUSDT perpetual: step', rules.quantityStep.toFixed(), 'min notional', rules.minNotional.toFixed(), 'max leverage', rules.maxLeverage);
} finally {
  await sim.close();
}
