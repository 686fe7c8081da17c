import type { ExchangeEventListener, ExchangePort } from './exchange-port';
import type { Logger } from './logger';
import type { PositionMode } from './types';

/** What every venue's factory entry takes; venue packages accept more (clock, retry, …) through `extra`. */
export interface ExchangeConnectionOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly passphrase?: string | undefined;
  readonly testnet?: boolean | undefined;
  /** Replaces scheme and host of every REST endpoint (the simulator's `<url>/<venue>`, a proxy). */
  readonly baseUrl?: string | undefined;
  readonly logger?: Logger | undefined;
  readonly onEvent?: ExchangeEventListener | undefined;
  readonly positionMode?: PositionMode | undefined;
  /** Venue-package options passed through unchanged (see the venue package's README). */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * How a venue package plugs into `@xport/factory` without the factory importing it: the package
 * exports one of these under the exchange's name (`import { binance } from '@xport/binance'`).
 */
export interface ExchangeDescriptor<Name extends string = string> {
  /** The exchange name apps use: `binance`. A venue package declares it as a literal type, so lists of descriptors know their names. */
  readonly name: Name;
  /** The npm package that provides it: `@xport/binance`. */
  readonly packageName: string;
  readonly requiresPassphrase: boolean;
  /** Creates an adapter; refuses unusable options (missing passphrase…) with a ConfigurationError. */
  create(options: ExchangeConnectionOptions): ExchangePort;
}
