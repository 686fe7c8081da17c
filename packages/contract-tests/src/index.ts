export { describeExchangeContract } from './describe-exchange-contract';
export type {
  ContractAdapterOptions,
  ContractJournalOptions,
  ContractPlacementOptions,
  ContractRequestPatterns,
  ContractSkips,
  ContractTarget,
  ExchangeContractOptions,
} from './contract-options';
export type { ContractAccountInput, ContractContext, ContractTestFunction } from './contract-context';
export { CONTRACT_SYMBOL } from './contract-context';
export { InstantClock } from './instant-clock';
export type { RecordedLine } from './recording-logger';
export { RecordingLogger } from './recording-logger';
export type { BrandedClass } from './expectations';
export { expectOrderMatchesLedger, expectRefusedWithoutRequests, expectRejection, ledgerOrder, ledgerOrders, rejectionOf } from './expectations';
export { belowMinimumNotionalQuantity, belowMinimumQuantity, ceilToStep, floorToStep, toDecimal, validQuantity } from './market-fixtures';
export type { LegSummary } from './wallets';
export { openLegs, summariseLegs, walletTotal } from './wallets';
export type { ConnectionRecorder } from './connection-recorder';
export { isLoopback, recordConnections } from './connection-recorder';
export type { TestnetAvailability, TestnetCredentials } from './testnet-credentials';
export { testnetAvailability, testnetVariable } from './testnet-credentials';
export { breakerOf, breakerState, marketLoadsOf, requestBudgetOf } from './venue-runtime-probe';
export type { RequestBudgetLike } from './venue-runtime-probe';
