// The same app as app.mjs, written with `require`: the CommonJS builds must work on their own.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app, on purpose */
const { binance } = require('@xport/binance');
const { Decimal, UnsupportedExchangeError } = require('@xport/core');
const { ExchangeFactory } = require('@xport/factory');

const { tradeOnce } = require('./scenario.cjs');

/** Where the factory was installed; a bundle carries it inside, with nothing installed beside it. */
function resolvedFactory() {
  try {
    return require.resolve('@xport/factory');
  } catch {
    return 'bundled';
  }
}

tradeOnce({ ExchangeFactory, binance, Decimal, UnsupportedExchangeError }, process.env)
  .then((result) => {
    console.log(JSON.stringify({ format: 'cjs', resolved: resolvedFactory(), ...result }));
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
