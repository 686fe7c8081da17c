import { CcxtExchangeAdapter } from '@xport/ccxt';
import { venueDescriptor } from '@xport/ccxt/internal';
import type { CcxtAdapterOptions } from '@xport/ccxt';
import type { ExchangeDescriptor } from '@xport/core';

import { bybitProfile } from './bybit-profile';

/** What `createBybitAdapter` takes: credentials and the options every ccxt-backed adapter shares. */
export type BybitAdapterOptions = CcxtAdapterOptions;

/** An ExchangePort over one Bybit unified trading account (spot and USDT perpetuals). */
export function createBybitAdapter(options: BybitAdapterOptions): CcxtExchangeAdapter {
  return new CcxtExchangeAdapter(bybitProfile, options);
}

/** Register with `new ExchangeFactory([bybit])`. */
export const bybit: ExchangeDescriptor<'bybit'> = venueDescriptor(bybitProfile);
