import { inspect } from 'node:util';

import { Decimal } from '@xport/core';
import type { ExchangePort } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { rejectionOf } from '../expectations';

/** Every way an adapter or its errors get written out: JSON, util.inspect (deep, hidden fields too), message and stack. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 8, showHidden: true, getters: true }), inspect(value, { depth: 8 })];
  try {
    out.push(JSON.stringify(value));
  } catch (error) {
    out.push(String(error));
  }
  if (value instanceof Error) out.push(value.message, value.stack ?? '', String(value));
  return out;
}

function leaks(texts: readonly string[], secrets: readonly string[]): string[] {
  return texts.flatMap((text) => secrets.filter((secret) => text.includes(secret)).map((secret) => `${secret.slice(0, 6)}… in ${text.slice(0, 300)}`));
}

export function describeSecrets<Registry>(ctx: ContractContext<Registry>): void {
  describe('secrets', () => {
    ctx.test('never appear in log lines, events, errors, JSON.stringify(adapter) or util.inspect(adapter)', async () => {
      const { account, adapter } = await ctx.setup({ balances: { USDT: '1000', BTC: '0.5' }, futuresBalances: { USDT: '5000' } });
      const secrets = [account.apiKey, account.secret, ...(account.passphrase === undefined ? [] : [account.passphrase])];
      const errors: unknown[] = [];
      const futures = ctx.orderQuantity('futures');

      await adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('0.01'));
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, futures, 5);
      await adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'long');
      await adapter.getBalances({ market: 'futures' });
      errors.push(await rejectionOf(adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('1'))));
      errors.push(await rejectionOf(adapter.closeFuturesPosition(CONTRACT_SYMBOL, 'short')));
      errors.push(await rejectionOf(adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal(-1))));
      ctx.sim.faults.add({ kind: 'error5xx', exchange: ctx.name, apiKey: account.apiKey, count: 1 });
      ctx.sim.faults.add({ kind: 'rateLimit', exchange: ctx.name, apiKey: account.apiKey, count: 1 });
      await adapter.getBalances();
      const wrongSecret: ExchangePort = ctx.createAdapter(account, { apiSecret: `${account.secret}ff` });
      errors.push(await rejectionOf(wrongSecret.getBalances()));
      const wrongKey: ExchangePort = ctx.createAdapter(account, { apiKey: `${account.apiKey}ff` });
      errors.push(await rejectionOf(wrongKey.initialize()));

      expect(ctx.logger.lines.length, 'the adapter logged something to search').toBeGreaterThan(0);
      const written = [
        ...ctx.logger.serialised(),
        ...ctx.logger.lines.map((line) => inspect(line, { depth: 8 })),
        JSON.stringify(ctx.events),
        ...errors.flatMap(renderings),
        ...[adapter, wrongSecret, wrongKey].flatMap(renderings),
      ];
      expect(leaks(written, secrets)).toEqual([]);
      // The wrong secret and key are secrets too.
      expect(leaks(written, [`${account.secret}ff`, `${account.apiKey}ff`])).toEqual([]);
    });
  });
}
