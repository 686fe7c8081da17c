export { bybitProfile } from './bybit-profile';
export { bybit, createBybitAdapter } from './create-bybit-adapter';
export type { BybitAdapterOptions } from './create-bybit-adapter';
