import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { isLoopback, recordConnections } from './connection-recorder';

const servers: ReturnType<typeof createServer>[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function localServer(): Promise<number> {
  const server = createServer((_request, response) => response.end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('recordConnections', () => {
  it('records where fetch (undici) connects, and stops recording when stopped', async () => {
    const port = await localServer();
    const recorder = recordConnections();

    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } });
    await response.text();
    recorder.stop();
    const seen = [...recorder.destinations];
    const after = await fetch(`http://127.0.0.1:${port}/again`, { headers: { connection: 'close' } });
    await after.text();

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((destination) => destination === `127.0.0.1:${port}`)).toBe(true);
    expect(recorder.destinations).toEqual(seen);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1:8080', true],
    ['localhost:1', true],
    ['::1:443', true],
    ['[::1]:443', true],
    ['::ffff:127.0.0.1:80', true],
    ['api.binance.com:443', false],
    ['10.0.0.1:80', false],
    ['127.0.0.2:80', false],
  ])('%s → %s', (destination, expected) => {
    expect(isLoopback(destination)).toBe(expected);
  });
});
