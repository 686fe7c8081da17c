import { CcxtExchangeAdapter } from '@xport/ccxt';
import { venueDescriptor } from '@xport/ccxt/internal';
import type { CcxtAdapterOptions } from '@xport/ccxt';
import type { ExchangeDescriptor } from '@xport/core';

import { bitgetProfile } from './bitget-profile';

/**
 * The shared adapter options. `passphrase` stays optional in the type so that callers holding
 * generic connection options can pass them through; it is checked at creation instead.
 */
export type BitgetAdapterOptions = CcxtAdapterOptions;

/**
 * An ExchangePort over one Bitget account (spot and USDT-M perpetuals). Throws ConfigurationError,
 * before any request, when the key, secret or passphrase is missing.
 */
export function createBitgetAdapter(options: BitgetAdapterOptions): CcxtExchangeAdapter {
  return new CcxtExchangeAdapter(bitgetProfile, options);
}

/** Register with `new ExchangeFactory([bitget])`. */
export const bitget: ExchangeDescriptor<'bitget'> = venueDescriptor(bitgetProfile);
