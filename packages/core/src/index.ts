export type {
  AccountEvent,
  AccountFillJSON,
  AccountFillProps,
  AccountOrderUpdateJSON,
  AccountOrderUpdateProps,
  AccountStream,
  AccountStreamOptions,
  AccountStreamPort,
  WatchedMarket,
} from './account-stream';
export { AccountFill, AccountOrderUpdate, assertAccountStreamOptions, DEFAULT_DEDUPE_WINDOW, isAccountStreamPort } from './account-stream';
export type { BalanceJSON, BalanceProps } from './balance';
export { Balance } from './balance';
export type { DecimalInput } from './decimal';
export { Decimal, formatDecimal, isDecimal, parseDecimal } from './decimal';
export type {
  ConfigurationErrorOptions,
  ExchangeErrorOptions,
  IdempotencyConflictErrorOptions,
  InsufficientBalanceErrorOptions,
  InvalidLeverageErrorOptions,
  InvalidOrderErrorOptions,
  InvalidValueErrorOptions,
  JournalOwnershipErrorOptions,
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
  IdempotencyConflictError,
  InsufficientBalanceError,
  InvalidLeverageError,
  InvalidOrderError,
  InvalidValueError,
  JournalOwnershipError,
  JournalUnavailableError,
  NetworkError,
  OperationAbortedError,
  OrderStatusUnknownError,
  PositionNotFoundError,
  RateLimitError,
  RetryableError,
  SymbolNotFoundError,
  UnsupportedExchangeError,
} from './errors';
export type { ConnectionVenue } from './connection-options';
export { CONNECTION_OPTION_KEYS, validateConnectionOptions } from './connection-options';
export type { ExchangeConnectionOptions, ExchangeDescriptor, JournalConnectionOptions, PublishedRequestBudget } from './exchange-descriptor';
export type { CallOptions, ExchangeEvent, ExchangeEventListener, ExchangePort, MarketOptions, OrderOptions } from './exchange-port';
export type { JournalOrderCall } from './journal-order-request';
export { describeOrderRequest, idempotencyConflict, journalOrderRequest, orderMismatches, parseJournalOrderRequest, sameOrderRequest } from './journal-order-request';
export { journalOwner } from './journal-owner';
export type { BeginPlan } from './journal-transitions';
export {
  checkClaimOptions,
  checkJournalIntent,
  checkJournalKey,
  checkListQuery,
  checkPendingQuery,
  checkSettleOptions,
  compareJournalEntries,
  frozenEntry,
  journalClosedError,
  journalKeyText,
  matchesListQuery,
  matchesPendingQuery,
  planBegin,
  planSettle,
} from './journal-transitions';
export type { LogFields, Logger, LogLevel } from './logger';
export { logEvent, noopLogger } from './logger';
export type { MemoryOrderJournalOptions } from './memory-order-journal';
export { MemoryOrderJournal } from './memory-order-journal';
export type {
  BeginResult,
  ClaimOptions,
  JournalClock,
  JournalEntry,
  JournalIntent,
  JournalKey,
  JournalOrderRequest,
  JournalOutcome,
  JournalState,
  ListQuery,
  OrderJournal,
  OrderOperation,
  PendingJournalEntry,
  PendingQuery,
  PlacedJournalEntry,
  PlacedOutcome,
  RefusedJournalEntry,
  RefusedOutcome,
  SettleOptions,
  UnknownJournalEntry,
  UnknownOutcome,
} from './order-journal';
export { JOURNAL_STATES, ORDER_OPERATIONS } from './order-journal';
export type { OrderFee, OrderOrigin, OrderResultJSON, OrderResultProps } from './order-result';
export { ORDER_ORIGINS, OrderResult } from './order-result';
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
