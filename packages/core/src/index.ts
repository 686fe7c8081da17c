export type { BalanceJSON, BalanceProps } from './balance';
export { Balance } from './balance';
export type { DecimalInput } from './decimal';
export { Decimal, formatDecimal, isDecimal, parseDecimal } from './decimal';
export type {
  ConfigurationErrorOptions,
  ExchangeErrorOptions,
  InsufficientBalanceErrorOptions,
  InvalidLeverageErrorOptions,
  InvalidOrderErrorOptions,
  InvalidValueErrorOptions,
  OrderStatusUnknownErrorOptions,
  PositionNotFoundErrorOptions,
  RateLimitErrorOptions,
  SymbolNotFoundErrorOptions,
  UnsupportedExchangeErrorOptions,
} from './errors';
export {
  AdapterClosedError,
  AuthenticationError,
  ConfigurationError,
  ExchangeAPIError,
  ExchangeError,
  ExchangeUnavailableError,
  InsufficientBalanceError,
  InvalidLeverageError,
  InvalidOrderError,
  InvalidValueError,
  NetworkError,
  OperationAbortedError,
  OrderStatusUnknownError,
  PositionNotFoundError,
  RateLimitError,
  RetryableError,
  SymbolNotFoundError,
  UnsupportedExchangeError,
} from './errors';
export type { ExchangeConnectionOptions, ExchangeDescriptor } from './exchange-descriptor';
export type { CallOptions, ExchangeEvent, ExchangeEventListener, ExchangePort, MarketOptions, OrderOptions } from './exchange-port';
export type { LogFields, Logger, LogLevel } from './logger';
export { logEvent, noopLogger } from './logger';
export type { OrderFee, OrderResultJSON, OrderResultProps } from './order-result';
export { OrderResult } from './order-result';
export { redact, redactText, redactUrls, SENSITIVE_KEY } from './redact';
export { REDACTED, Secret } from './secret';
export type { ParsedSymbol } from './symbol';
export { KNOWN_QUOTES, parseSymbol } from './symbol';
export type { SymbolInfoJSON, SymbolInfoProps } from './symbol-info';
export { SymbolInfo } from './symbol-info';
export type { ExchangeName, MarketType, OrderSide, OrderStatus, PositionMode, PositionSide } from './types';
export { MARKET_TYPES, ORDER_SIDES, ORDER_STATUSES, POSITION_SIDES } from './types';
export {
  assertAsset,
  assertCallOptions,
  assertClientOrderId,
  assertLeverage,
  assertMarketType,
  assertPositionSide,
  assertQuantity,
  CLIENT_ORDER_ID_PATTERN,
  MAX_SANE_LEVERAGE,
} from './validation';
