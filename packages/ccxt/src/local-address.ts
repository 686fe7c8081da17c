import { isIP } from 'node:net';

import type { CcxtExchange as Exchange } from './ccxt-types';

/**
 * Sends every request of `exchange` from the local address `address`, as a host with several
 * egress addresses chooses one: ccxt's own keep-alive dispatcher (undici), given `localAddress`.
 */
export async function bindLocalAddress(exchange: Exchange, address: string): Promise<void> {
  const transport = exchange as unknown as {
    loadFetchImplementation(): Promise<unknown>;
    getDispatcherOptions(isPlainAgent: boolean): Record<string, unknown>;
    undiciModule?: { Agent: new (options: Record<string, unknown>) => unknown };
    fetchDispatcher: unknown;
  };
  await transport.loadFetchImplementation();
  if (transport.undiciModule === undefined) throw new Error(`${exchange.id}: ccxt did not load undici, so requests cannot leave from ${address}`);
  transport.fetchDispatcher = new transport.undiciModule.Agent({ ...transport.getDispatcherOptions(true), localAddress: address });
}

export const isIpAddress = (value: unknown): value is string => typeof value === 'string' && isIP(value) !== 0;
