// examples/quick-start.mjs — from the repository root:
//   npx pnpm@10.34.9 --filter @xport/factory... run build && node packages/factory/examples/quick-start.mjs
import { binance } from '@xport/binance';
import { Decimal, UnsupportedExchangeError } from '@xport/core';
import { ExchangeFactory } from '@xport/factory';
import { startSimulator } from '@xport/simulator';

// A local exchange to trade against; in production, leave out baseUrl below.
const sim = await startSimulator({ port: 0 });
const account = sim.accounts.create({ venue: 'binance', balances: { USDT: '10000' } });

// Register the venue packages the app installed; the factory imports none of them itself.
const factory = new ExchangeFactory([binance]);
console.log(factory.supportedExchanges()); // [ 'binance' ]

const exchange = factory.createExchange({
  exchange: 'binance',
  apiKey: account.apiKey,
  apiSecret: account.secret,
  baseUrl: `${sim.url}/binance`,
});
const order = await exchange.executeSpotBuy('BTCUSDT', new Decimal('0.01'), { idempotencyKey: 'signal-42:follower-7' });
console.log(order.status, order.filledQuantity.toFixed(), order.averagePrice?.toFixed()); // filled 0.01 65000
console.log(sim.ledger.orders({ venue: 'binance', apiKey: account.apiKey }).map((entry) => entry.orderId).includes(order.orderId)); // true

try {
  factory.createExchange({ exchange: 'bybit', apiKey: 'key', apiSecret: 'secret' });
} catch (error) {
  if (UnsupportedExchangeError.isInstance(error)) console.log(error.packageName); // @xport/bybit
}

await exchange.close();
await sim.close();
