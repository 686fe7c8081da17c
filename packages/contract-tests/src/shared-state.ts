export { describeSharedStateContract, SHARED_STATE_START_MS } from './shared-state/describe-shared-state-contract';
export type { SharedStateContractOptions, SharedStateHandles } from './shared-state/describe-shared-state-contract';
