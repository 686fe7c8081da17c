import { binance } from '@xport/binance';
import { bitget } from '@xport/bitget';
import { bybit } from '@xport/bybit';
import { ExchangeFactory } from '@xport/factory';

import { CopyTraderConfigError } from './config-error';
import type { Follower } from './copy-signal';
import type { FollowerConfig, Venue } from './followers-config';

export interface ConnectOptions {
  /** Where credentials are read from, by the names the followers file gives. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly testnet?: boolean | undefined;
  /** Per venue, replaces the REST hosts (a simulator, a proxy). */
  readonly baseUrls?: Partial<Readonly<Record<Venue, string>>> | undefined;
  /** Handed to each venue package unchanged (`registry`, `requestBudgets`, `timeoutMs`, …). */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Creates one adapter per follower through `ExchangeFactory`. Every missing environment variable is
 * reported at once, before any adapter exists, so a run never starts half-configured.
 */
export function createFollowers(configs: readonly FollowerConfig[], options: ConnectOptions): Follower[] {
  const issues: string[] = [];
  const read = (config: FollowerConfig, index: number, variable: string | undefined): string | undefined => {
    if (variable === undefined) return undefined;
    const value = options.env[variable];
    if (value === undefined || value.trim() === '') issues.push(`followers[${index}] (${config.id}): environment variable ${variable} is not set`);
    return value;
  };
  const credentials = configs.map((config, index) => ({
    apiKey: read(config, index, config.credentials.apiKey) ?? '',
    apiSecret: read(config, index, config.credentials.apiSecret) ?? '',
    passphrase: read(config, index, config.credentials.passphrase),
  }));
  if (issues.length > 0) throw new CopyTraderConfigError('credentials', issues);

  const factory = new ExchangeFactory([binance, bybit, bitget]);
  return configs.map((config, index) => {
    const baseUrl = options.baseUrls?.[config.exchange];
    const port = factory.createExchange({
      exchange: config.exchange,
      apiKey: credentials[index]?.apiKey ?? '',
      apiSecret: credentials[index]?.apiSecret ?? '',
      passphrase: credentials[index]?.passphrase,
      ...(options.testnet === true && { testnet: true }),
      ...(baseUrl !== undefined && { baseUrl }),
      ...(config.positionMode !== undefined && { positionMode: config.positionMode }),
      ...(options.extra !== undefined && { extra: options.extra }),
    });
    return { config, port };
  });
}
