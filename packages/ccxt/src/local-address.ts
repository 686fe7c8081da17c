import { isIP } from 'node:net';

/** Whether `value` is an IPv4 or IPv6 address (what `localAddress` takes; the shared pools in shared-connections.ts bind to it). */
export const isIpAddress = (value: unknown): value is string => typeof value === 'string' && isIP(value) !== 0;
