import { InvalidOrderError } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { resolveClientOrderId } from './client-order-id';
import { exchangeModulePath, loadExchangeClass } from './load-exchange-class';
import { rewriteHosts } from './rewrite-hosts';

describe('rewriteHosts', () => {
  it('replaces scheme and host of every endpoint and keeps each path', () => {
    const api = {
      public: 'https://api.binance.com/api/v3',
      fapiPrivate: 'https://fapi.binance.com/fapi/v1',
      nested: { spot: 'https://api.{hostname}/v5', list: ['https://a.example/x'] },
      count: 3,
    };
    expect(rewriteHosts(api, 'http://127.0.0.1:8899/binance/')).toEqual({
      public: 'http://127.0.0.1:8899/binance/api/v3',
      fapiPrivate: 'http://127.0.0.1:8899/binance/fapi/v1',
      nested: { spot: 'http://127.0.0.1:8899/binance/v5', list: ['http://127.0.0.1:8899/binance/x'] },
      count: 3,
    });
  });

  it("points ccxt pro's WebSocket endpoints at the same host with the matching WebSocket scheme", () => {
    const ws = { spot: 'wss://stream.binance.com:9443/ws', future: 'wss://fstream.binance.com/ws', 'ws-api': { spot: 'wss://ws-api.binance.com:443/ws-api/v3' } };
    expect(rewriteHosts(ws, 'http://127.0.0.1:8899/binance')).toEqual({
      spot: 'ws://127.0.0.1:8899/binance/ws',
      future: 'ws://127.0.0.1:8899/binance/ws',
      'ws-api': { spot: 'ws://127.0.0.1:8899/binance/ws-api/v3' },
    });
    expect(rewriteHosts(ws, 'https://proxy.example/')).toMatchObject({ future: 'wss://proxy.example/ws' });
  });
});

describe('resolveClientOrderId', () => {
  const rules = { maxLength: 36, pattern: /^[A-Za-z0-9_-]{1,36}$/ };

  it('keeps the caller id, derives a stable one from an idempotency key, or generates one', () => {
    expect(resolveClientOrderId({ clientOrderId: 'mine-1' }, rules, 'bybit')).toBe('mine-1');
    const derived = resolveClientOrderId({ idempotencyKey: 'signal-7:follower-12' }, rules, 'bybit');
    expect(derived).toBe(resolveClientOrderId({ idempotencyKey: 'signal-7:follower-12' }, rules, 'bybit'));
    expect(derived).not.toBe(resolveClientOrderId({ idempotencyKey: 'signal-7:follower-13' }, rules, 'bybit'));
    expect(derived).toMatch(/^xk[0-9a-f]{30}$/);
    const generated = resolveClientOrderId(undefined, rules, 'bybit');
    expect(generated).toMatch(/^xp[0-9a-f]{30}$/);
    expect(generated).not.toBe(resolveClientOrderId(undefined, rules, 'bybit'));
  });

  it("refuses a caller id outside the venue's rules, naming the field", () => {
    expect(() => resolveClientOrderId({ clientOrderId: 'has:colon' }, rules, 'bybit')).toThrow(InvalidOrderError);
    expect(() => resolveClientOrderId({ clientOrderId: 'x'.repeat(37) }, rules, 'bybit')).toThrow(/at most 36 characters/);
  });
});

describe('loadExchangeClass', () => {
  it("loads one exchange's module, not ccxt's entry point, and it is ccxt's own class", async () => {
    const loaded = await loadExchangeClass('bybit');
    expect(loaded.source).toBe('module');
    expect(loaded.path).toBe(exchangeModulePath('bybit'));
    expect(loaded.path).toMatch(/ccxt[/\\]js[/\\]src[/\\]bybit\.js$/);
    const instance = new loaded.exchangeClass();
    expect(instance.id).toBe('bybit');
    expect(await loadExchangeClass('bybit')).toBe(loaded);
  });

  it("loads ccxt pro's WebSocket class of a venue only when asked, from its own module", async () => {
    const loaded = await loadExchangeClass('binance', 'pro');
    expect(loaded.source).toBe('module');
    expect(loaded.path).toMatch(/ccxt[/\\]js[/\\]src[/\\]pro[/\\]binance\.js$/);
    const instance = new loaded.exchangeClass() as unknown as { id: string; watchMyTrades?: unknown };
    expect(instance.id).toBe('binance');
    expect(typeof instance.watchMyTrades).toBe('function');
    expect(await loadExchangeClass('binance')).not.toBe(loaded);
  });

  it('reports an exchange ccxt does not have', async () => {
    await expect(loadExchangeClass('no-such-exchange')).rejects.toThrow(/no exchange "no-such-exchange"/);
  });
});
