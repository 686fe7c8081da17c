import type { Exchange } from 'ccxt';

/**
 * Sends every request of `exchange` from the local address `address` (`localAddress` of the adapter):
 * ccxt's own keep-alive undici dispatcher, with undici's `localAddress`. A host with several egress
 * addresses runs one process per address, each with its own request budgets: the venues count
 * their IP limits per source address.
 */
export async function bindLocalAddress(exchange: Exchange, address: string): Promise<void> {
  const transport = exchange as unknown as {
    loadFetchImplementation(): Promise<unknown>;
    getDispatcherOptions(isPlainAgent: boolean): Record<string, unknown>;
    undiciModule?: { Agent: new (options: Record<string, unknown>) => unknown };
    fetchDispatcher: unknown;
  };
  await transport.loadFetchImplementation();
  if (transport.undiciModule === undefined) throw new Error(`${exchange.id}: ccxt did not load undici, so requests cannot be sent from ${address}`);
  transport.fetchDispatcher = new transport.undiciModule.Agent({ ...transport.getDispatcherOptions(true), localAddress: address });
}
