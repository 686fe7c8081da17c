// An app outside the workspace, as a user writes it with `import`; src/pack-install.test.ts copies it
// into a temporary directory where the packed tarballs are installed, and reads what it prints.
import { binance } from '@xport/binance';
import { loadExchangeClass } from '@xport/ccxt';
import { Decimal, UnsupportedExchangeError } from '@xport/core';
import { ExchangeFactory } from '@xport/factory';

import scenario from './scenario.cjs';

const result = await scenario.tradeOnce({ ExchangeFactory, binance, Decimal, UnsupportedExchangeError, loadExchangeClass }, process.env);
console.log(JSON.stringify({ format: 'esm', resolved: import.meta.resolve('@xport/factory'), ...result }));
