import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** The network connections the process opened while recording. */
export interface ConnectionRecorder {
  /** `host:port` of every connection opened (or attempted) since the recorder started. */
  readonly destinations: readonly string[];
  /** Stops recording; `destinations` keeps what was seen. */
  stop(): void;
}

interface UndiciConnectMessage {
  readonly connectParams?: { readonly hostname?: string; readonly host?: string; readonly port?: string | number };
}

/**
 * Records where this process opens TCP connections, through Node's diagnostics channels: undici's
 * (the HTTP client ccxt uses, which names the host before resolving it) and net's (every client
 * socket, whatever library made it). Nothing is intercepted or delayed.
 */
export function recordConnections(): ConnectionRecorder {
  const destinations: string[] = [];
  const onUndiciConnect = (message: unknown): void => {
    const params = (message as UndiciConnectMessage).connectParams;
    const host = params?.hostname ?? params?.host;
    if (host !== undefined) destinations.push(`${host}:${String(params?.port ?? '')}`);
  };
  const onSocket = (message: unknown): void => {
    const socket = (message as { socket?: Socket }).socket;
    socket?.once('connect', () => {
      destinations.push(`${socket.remoteAddress ?? '?'}:${String(socket.remotePort ?? '')}`);
    });
  };
  subscribe('undici:client:beforeConnect', onUndiciConnect);
  subscribe('net.client.socket', onSocket);
  return {
    destinations,
    stop: () => {
      unsubscribe('undici:client:beforeConnect', onUndiciConnect);
      unsubscribe('net.client.socket', onSocket);
    },
  };
}

/** Whether a recorded `host:port` is this machine's loopback. */
export function isLoopback(destination: string): boolean {
  const host = destination.slice(0, destination.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '::ffff:127.0.0.1';
}
