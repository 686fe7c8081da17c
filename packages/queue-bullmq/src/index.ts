export { BREAKER_STATE_VALUES, FanOutMetrics } from './fan-out-metrics';
export type { BreakerStateName, VenueEventLike } from './fan-out-metrics';
export { FollowerJobWorker, RetryLaterError, type FollowerJobWorkerOptions } from './follower-job-worker';
export { startOpsServer, type OpsAnswer, type OpsServer, type OpsServerOptions } from './ops-server';
export type { FollowerJob, FollowerOutcome, SignalResults } from './outcomes';
export { checkJobId, ORDERS_QUEUE, SIGNALS_QUEUE, type QueueLocation } from './queue-location';
export { SignalFanOut, type FollowerJobPolicy, type SignalDone, type SignalFanOutOptions, type SignalJobData } from './signal-fan-out';
