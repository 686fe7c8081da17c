import type { ExchangeConnectionOptions } from '@xport/core';

/**
 * `createExchange`'s argument: the exchange to create plus what its descriptor takes. `Name` is the
 * registered descriptors' names, offered first; any string is accepted because case and surrounding
 * blanks are ignored and names read from configuration are checked when the call is made.
 */
export interface CreateExchangeOptions<Name extends string = string> extends ExchangeConnectionOptions {
  /** A registered exchange name: `binance`, `bybit`, `bitget`, … Case and surrounding blanks are ignored. */
  readonly exchange: Name | (string & {});
}
