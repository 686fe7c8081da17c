import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

import { Decimal, NetworkError } from '@xport/core';
import type { ExchangePort } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { expectRejection, rejectionOf } from '../expectations';

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

    ctx.test("a proxy's user and password in baseUrl never appear in JSON.stringify(adapter), util.inspect(adapter), errors, log lines or events", async () => {
      const account = ctx.createAccount({ balances: { USDT: '50', BTC: '0.5' }, futuresBalances: { USDT: '5000' } });
      const user = `proxyuser${randomBytes(4).toString('hex')}`;
      const password = `proxypass${randomBytes(8).toString('hex')}`;
      const baseUrl = `${ctx.sim.url.replace('://', `://${user}:${password}@`)}/${ctx.name}`;
      const adapter = ctx.createAdapter(account, { baseUrl, retry: { maxRetries: 0 } });
      const errors: unknown[] = [];

      await adapter.initialize();
      await adapter.executeSpotSell(CONTRACT_SYMBOL, new Decimal('0.01'));
      errors.push(await rejectionOf(adapter.executeSpotBuy(CONTRACT_SYMBOL, new Decimal('1'))));
      ctx.sim.faults.add({ kind: 'reset', exchange: ctx.name, apiKey: account.apiKey, count: 1 });
      errors.push(await rejectionOf(adapter.getBalances()));
      ctx.sim.faults.add({ kind: 'error5xx', exchange: ctx.name, apiKey: account.apiKey, count: 1 });
      errors.push(await rejectionOf(adapter.getBalances({ market: 'futures' })));
      const wrongSecret: ExchangePort = ctx.createAdapter(account, { baseUrl, apiSecret: `${account.secret}ff` });
      errors.push(await rejectionOf(wrongSecret.getBalances()));

      const written = [
        ...ctx.logger.serialised(),
        ...ctx.logger.lines.map((line) => inspect(line, { depth: 8 })),
        JSON.stringify(ctx.events),
        ...errors.flatMap(renderings),
        ...errors.flatMap((error) => renderings((error as Error).cause)),
        ...[adapter, wrongSecret].flatMap(renderings),
      ];
      expect(leaks(written, [password, user])).toEqual([]);
      // Still says where it connects, with the userinfo blanked.
      expect(JSON.stringify(adapter)).toContain('[REDACTED]@127.0.0.1');
    });

    ctx.test("a signed request's URL query (where Binance carries the signature) never appears in an error", async () => {
      const { account, adapter } = await ctx.setup({}, { retry: { maxRetries: 0 } });
      ctx.sim.faults.add({ kind: 'reset', exchange: ctx.name, apiKey: account.apiKey, count: 2 });

      const errors = [await expectRejection(adapter.getBalances(), NetworkError), await expectRejection(adapter.getBalances({ market: 'futures' }), NetworkError)];

      const written = [...errors.flatMap(renderings), ...errors.flatMap((error) => renderings((error as Error).cause)), ...ctx.logger.serialised()];
      for (const text of written) {
        expect(text).not.toMatch(/signature=|timestamp=|recvWindow=/);
        // A URL keeps scheme, host and path; its query shows only that there was one.
        for (const url of text.match(/https?:\/\/[^\s"'<>]+/g) ?? []) expect(url).not.toMatch(/\?(?!\[REDACTED\])/);
      }
    });
  });
}
