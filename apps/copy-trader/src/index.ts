// The engine for apps that feed signals from elsewhere (README, "API"): what they call and the types
// of what they pass and get back. The CLI's own pieces (demo, semaphores, sizing steps) stay inside.
export { cliMain, type CliIo } from './cli-main';
export { clientOrderIdFor } from './client-order-id';
export { CopyTraderConfigError } from './config-error';
export { DEFAULT_LIMITS, FanOut, type CopyOptions, type FanOutLimits, type Follower, type FollowerResult, type FollowerStatus } from './copy-signal';
export { runCopySession, type SessionOptions, type SessionReport, type SignalReport } from './copy-session';
export { createFollowers, type ConnectOptions, type FollowerJournal } from './create-followers';
export { parseFollowersJson, type CredentialVariables, type FollowerConfig, type SizingRule, type Venue } from './followers-config';
export { type FailureLine, type SessionSummary, summarize } from './session-summary';
export type { OutputStream } from './session-printer';
export { parseSignalsJsonl, SIGNAL_ACTIONS, type CloseSignal, type OpenSignal, type ReduceSignal, type Signal, type SignalAction } from './signals';
export { sizeOrder, type SizingDecision, type SizingInput } from './sizing';
