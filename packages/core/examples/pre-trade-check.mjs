// Run after a build: node packages/core/examples/pre-trade-check.mjs
import { Decimal, InvalidOrderError, SymbolInfo, assertQuantity, logEvent, Secret } from '@xport/core';

const btc = new SymbolInfo({
  exchange: 'binance',
  symbol: 'BTCUSDT',
  exchangeSymbol: 'BTCUSDT',
  marketType: 'spot',
  quantityStep: new Decimal('0.00001'),
  minQuantity: new Decimal('0.00001'),
  priceTick: new Decimal('0.01'),
  minNotional: new Decimal('5'),
});

const wanted = new Decimal('0.0123456');
assertQuantity(wanted);
console.log('send', btc.prepareQuantity(wanted, new Decimal('65000')).toFixed(), btc.base); // 0.01234 BTC

try {
  btc.prepareQuantity(new Decimal('0.00005'), new Decimal('65000'));
} catch (error) {
  if (InvalidOrderError.isInstance(error)) console.log(`refused before any request: ${error.field}: ${error.message}`);
}

const apiSecret = new Secret('do-not-print-me');
logEvent(console, 'info', 'exchange.credentials.loaded', { exchange: 'binance', apiSecret });
