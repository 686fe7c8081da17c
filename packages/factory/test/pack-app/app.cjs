// The same app as app.mjs, written with `require`: the CommonJS builds must work on their own.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app, on purpose */
const { binance } = require('@xport/binance');
const { loadExchangeClass } = require('@xport/ccxt');
const { Decimal, UnsupportedExchangeError } = require('@xport/core');
const { ExchangeFactory } = require('@xport/factory');

const { tradeOnce } = require('./scenario.cjs');

tradeOnce({ ExchangeFactory, binance, Decimal, UnsupportedExchangeError, loadExchangeClass }, process.env)
  .then((result) => {
    console.log(JSON.stringify({ format: 'cjs', resolved: require.resolve('@xport/factory'), ...result }));
  })
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
