export type { ExchangeConnectionOptions, ExchangeDescriptor, ExchangePort } from '@xport/core';
export type { CreateExchangeOptions } from './create-exchange-options';
export { ExchangeFactory } from './exchange-factory';
export { KNOWN_PACKAGES } from './known-packages';
