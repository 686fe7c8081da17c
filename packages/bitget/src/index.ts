export { bitgetProfile } from './bitget-profile';
export { bitget, createBitgetAdapter } from './create-bitget-adapter';
export type { BitgetAdapterOptions } from './create-bitget-adapter';
export { quoteAmountFor } from './spot-market-buy';
