import { describe, expect, it } from 'vitest';
import { createAccount, createCcxtClient, rewriteApiUrls, useSimulator } from './index';

describe('rewriteApiUrls', () => {
  it('maps every host in a nested tree onto the venue prefix, keeping the path', () => {
    const api = {
      public: 'https://api.binance.com/api/v3',
      fapiPrivate: 'https://fapi.binance.com/fapi/v1',
      nested: { spot: 'https://api.{hostname}', list: ['http://x.example:8080/a/b'] },
      rateLimit: 50,
    };
    expect(rewriteApiUrls(api, 'http://127.0.0.1:9/binance')).toEqual({
      public: 'http://127.0.0.1:9/binance/api/v3',
      fapiPrivate: 'http://127.0.0.1:9/binance/fapi/v1',
      nested: { spot: 'http://127.0.0.1:9/binance', list: ['http://127.0.0.1:9/binance/a/b'] },
      rateLimit: 50,
    });
  });
});

describe('test-support', () => {
  const sim = useSimulator();

  it('creates funded accounts with distinct keys and hands them to a ccxt client aimed at the simulator', () => {
    const first = createAccount(sim(), 'bitget');
    const second = createAccount(sim(), 'bitget', { futuresBalances: { USDT: '5' } });
    expect(first.apiKey).not.toBe(second.apiKey);
    expect(first.passphrase).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(sim().balances('bitget', first.apiKey).spot.USDT?.free.toFixed()).toBe('10000');
    expect(sim().balances('bitget', second.apiKey).futures.USDT?.free.toFixed()).toBe('5');

    const client = createCcxtClient('bitget', sim(), first, { timeout: 1234 });
    expect(client.apiKey).toBe(first.apiKey);
    expect(client.password).toBe(first.passphrase);
    expect(client.timeout).toBe(1234);
    const urls = Object.values(client.urls.api);
    expect(urls.length).toBeGreaterThan(3);
    for (const url of urls) expect(url).toBe(`${sim().url}/bitget`);
  });

  it('points a Binance client at <url>/binance/<path>', () => {
    const client = createCcxtClient('binance', sim(), createAccount(sim(), 'binance'));
    const api = client.urls.api as Record<string, string>;
    expect(api.fapiPrivate).toBe(`${sim().url}/binance/fapi/v1`);
    expect(api.public).toBe(`${sim().url}/binance/api/v3`);
  });
});
