// An app outside the workspace, as a user writes it with `import`, using only the packages the
// factory README's install line names. src/pack-install.test.ts copies it into apps installed with
// npm, pnpm and yarn, runs it (and bundles of it), and reads the line it prints.
import { Decimal, UnsupportedExchangeError } from '@xport/core';
import { binance } from '@xport/binance';
import { ExchangeFactory } from '@xport/factory';

import scenario from './scenario.cjs';

const result = await scenario.tradeOnce({ ExchangeFactory, binance, Decimal, UnsupportedExchangeError }, process.env);
console.log(JSON.stringify({ format: 'esm', resolved: import.meta.resolve('@xport/factory'), ...result }));
