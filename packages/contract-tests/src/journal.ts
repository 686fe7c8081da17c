export { describeOrderJournalContract } from './journal/describe-order-journal-contract';
export type { OrderJournalChildProcess, OrderJournalContractOptions, OrderJournalStore } from './journal/journal-contract-options';
export type { OrderJournalContractContext } from './journal/journal-contract-context';
export { CONTRACT_LEASE_MS, CONTRACT_START_MS } from './journal/journal-contract-context';
export { CONTRACT_REQUESTS, contractIntent, contractKey, placedOrderFor, placedOutcomeFor } from './journal/journal-fixtures';
export { InstantClock } from './instant-clock';
