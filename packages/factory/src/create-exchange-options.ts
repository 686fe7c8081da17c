import type { ExchangeConnectionOptions, ExchangeName } from '@xport/core';

/** `createExchange`'s argument: the exchange to create plus what its descriptor takes. */
export interface CreateExchangeOptions extends ExchangeConnectionOptions {
  /** A registered exchange name: `binance`, `bybit`, `bitget`, … Case and surrounding blanks are ignored. */
  readonly exchange: ExchangeName;
}
