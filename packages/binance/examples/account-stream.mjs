// examples/account-stream.mjs (in @xport/binance) — run with: node packages/binance/examples/account-stream.mjs
// (after `npx pnpm@10.34.9 turbo run build --filter=@xport/binance... --filter=@xport/simulator`)
// Watches an account's fills on the embedded simulator while another adapter trades, then drops
// the stream's socket once: the fill placed while it was down still arrives, once.
import { binanceProfile } from '@xport/binance';
import { CcxtExchangeAdapter } from '@xport/ccxt';
import { Decimal } from '@xport/core';
import { startSimulator } from '@xport/simulator';

const sim = await startSimulator({ port: 0, host: '127.0.0.1' });
const account = sim.accounts.create({ venue: 'binance', balances: { USDT: '10000' }, futuresBalances: { USDT: '5000' } });
const options = { apiKey: account.apiKey, apiSecret: account.secret, baseUrl: `${sim.url}/binance` };
const watcher = new CcxtExchangeAdapter(binanceProfile, options);
const trader = new CcxtExchangeAdapter(binanceProfile, options);

const stream = watcher.accountStream({ markets: [{ symbol: 'BTCUSDT', market: 'spot' }, { symbol: 'BTCUSDT', market: 'futures' }] });
const reading = (async () => {
  for await (const event of stream) {
    if (event.type === 'fill') console.log('fill', event.marketType, event.side, event.quantity.toFixed(), '@', event.price.toFixed(), 'trade', event.tradeId);
    else console.log('order', event.orderId, event.status);
  }
})();

await trader.executeSpotBuy('BTCUSDT', new Decimal('0.01'));
sim.faults.add({ kind: 'streamDisconnect', exchange: 'binance' });
await trader.executeFuturesLong('BTCUSDT', new Decimal('0.002'), 5);
await new Promise((resolve) => setTimeout(resolve, 3_000));

await Promise.all([watcher.close(), trader.close()]); // closing the adapter ends its streams
await reading;
await sim.close();
