// What app.mjs and app.cjs both do, given the modules each loaded its own way (import or require),
// so that the two apps differ only in how they load the packages.
/* global module */

async function tradeOnce({ ExchangeFactory, binance, Decimal, UnsupportedExchangeError }, env) {
  const factory = new ExchangeFactory([binance]);
  const port = factory.createExchange({
    exchange: 'binance',
    apiKey: env.XPORT_API_KEY,
    apiSecret: env.XPORT_API_SECRET,
    baseUrl: `${env.XPORT_SIM_URL}/binance`,
  });
  const order = await port.executeSpotBuy('BTCUSDT', new Decimal('0.001'), { idempotencyKey: env.XPORT_ORDER_KEY });
  await port.close();

  let unsupported;
  try {
    factory.createExchange({ exchange: 'bybit', apiKey: 'key', apiSecret: 'secret' });
  } catch (error) {
    unsupported = { isInstance: UnsupportedExchangeError.isInstance(error), packageName: error.packageName };
  }
  return { order, unsupported };
}

module.exports = { tradeOnce };
