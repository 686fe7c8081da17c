import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Exchange } from 'ccxt';
import { afterAll, describe, expect, it } from 'vitest';

import { validateExtraOptions } from './adapter-options';
import { loadExchangeClass } from './load-exchange-class';
import { bindLocalAddress } from './local-address';

describe('localAddress', () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.socket.remoteAddress ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  const listening = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => { resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`); }));
  afterAll(() => new Promise<void>((resolve) => server.close(() => { resolve(); })));

  it('sends every request of the ccxt client from the address given (Linux routes 127.0.0.0/8 to loopback)', async () => {
    const url = await listening;
    const exchangeClass = (await loadExchangeClass('binance')).exchangeClass as unknown as new (config: Record<string, unknown>) => Exchange;
    const exchange = new exchangeClass({ enableRateLimit: false });
    await bindLocalAddress(exchange, '127.0.0.3');
    await exchange.fetch(url, 'GET');
    await exchange.fetch(url, 'GET');
    expect(seen.map((address) => address.replace(/^::ffff:/, ''))).toEqual(['127.0.0.3', '127.0.0.3']);
  });

  it('is refused unless it is an IP address, naming the field', () => {
    expect(() => { validateExtraOptions({ localAddress: 'eth0' }, 'binance'); }).toThrow(/extra\.localAddress/);
    expect(() => { validateExtraOptions({ localAddress: '127.0.0.2' }, 'binance'); }).not.toThrow();
  });
});
