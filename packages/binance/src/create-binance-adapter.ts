import { CcxtExchangeAdapter } from '@xport/ccxt';
import { venueDescriptor } from '@xport/ccxt/internal';
import type { CcxtAdapterOptions } from '@xport/ccxt';
import type { ExchangeDescriptor } from '@xport/core';

import { binanceProfile } from './binance-profile';

/** What `createBinanceAdapter` takes: credentials and the options every ccxt-backed adapter shares. */
export type BinanceAdapterOptions = CcxtAdapterOptions;

/** An ExchangePort over one Binance account (spot and USDT-M futures). */
export function createBinanceAdapter(options: BinanceAdapterOptions): CcxtExchangeAdapter {
  return new CcxtExchangeAdapter(binanceProfile, options);
}

/** Register with `new ExchangeFactory([binance])`. */
export const binance: ExchangeDescriptor<'binance'> = venueDescriptor(binanceProfile);
