// Spot and USDT-M futures on Bitget through one ExchangePort, against a local simulator.
// Run from packages/bitget after a build: node examples/quick-start.mjs
import { createBitgetAdapter } from '@xport/bitget';
import { Decimal } from '@xport/core';
import { startSimulator } from '@xport/simulator';

const sim = await startSimulator({ port: 0 });
const account = sim.accounts.create({ venue: 'bitget', balances: { USDT: '10000' }, futuresBalances: { USDT: '5000' } });

const bitget = createBitgetAdapter({
  apiKey: account.apiKey,
  apiSecret: account.secret,
  passphrase: account.passphrase,
  baseUrl: `${sim.url}/bitget`,
});
await bitget.initialize();
console.log('position mode:', bitget.positionMode);

const buy = await bitget.executeSpotBuy('BTC/USDT', new Decimal('0.01'));
console.log('spot buy:', buy.status, buy.filledQuantity.toFixed(), 'BTC at', buy.averagePrice?.toFixed(), 'fee', buy.fee?.amount.toFixed(), buy.fee?.asset);

const long = await bitget.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 10);
console.log('futures long:', long.status, long.filledQuantity.toFixed(), 'at', long.averagePrice?.toFixed());

const close = await bitget.closeFuturesPosition('BTC/USDT', 'long');
console.log('closed:', close.side, close.filledQuantity.toFixed(), 'reduceOnly', close.reduceOnly);

console.log('spot USDT free:', (await bitget.getBalance('USDT')).free.toFixed());
console.log('futures USDT free:', (await bitget.getBalance('USDT', { market: 'futures' })).free.toFixed());
console.log('ledger:', sim.ledger.orders({ venue: 'bitget', apiKey: account.apiKey }).length, 'orders');

await bitget.close();
await sim.close();
