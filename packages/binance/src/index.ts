export { binanceProfile } from './binance-profile';
export { binance, createBinanceAdapter } from './create-binance-adapter';
export type { BinanceAdapterOptions } from './create-binance-adapter';
