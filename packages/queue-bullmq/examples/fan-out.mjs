// examples/fan-out.mjs — node packages/queue-bullmq/examples/fan-out.mjs (after a build; XPORT_REDIS_URL to use another server)
// One signal to five followers through Redis: a fan-out, two workers, and the signal's outcomes once all are in.
import { FanOutMetrics, FollowerJobWorker, SignalFanOut } from '@xport/queue-bullmq';

const redisUrl = process.env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `xport-example-${process.pid}`;
const metrics = new FanOutMetrics();

let reported;
const done = new Promise((resolve) => (reported = resolve));
const fanOut = new SignalFanOut({
  redisUrl,
  prefix,
  followerIds: ['f1', 'f2', 'f3', 'f4', 'f5'],
  // The pair's idempotency key as a job id: the same pair is never queued twice.
  jobIdOf: (signalId, followerId) => `${signalId}-${followerId}`,
  onSignalDone: reported,
  keepSeconds: 60, // how long finished jobs and outcomes stay (and a duplicate is dropped); default 7 days
  metrics,
});

// In production each worker is its own process, on its own host or egress address.
const workers = ['w1', 'w2'].map(
  (name) =>
    new FollowerJobWorker({
      redisUrl,
      prefix,
      metrics,
      keepSeconds: 60,
      // Your order placement goes here; it must be idempotent (a job may run again after a crash).
      process: async (job) => ({ status: 'placed', venue: 'binance', result: JSON.stringify({ follower: job.followerId, by: name }) }),
    }),
);
for (const worker of workers) void worker.run();
await fanOut.start();

console.log(await fanOut.submit('sig-1', JSON.stringify({ action: 'spotBuy', symbol: 'BTCUSDT' }))); // { queued: true }
console.log(await fanOut.submit('sig-1', JSON.stringify({ action: 'spotBuy', symbol: 'BTCUSDT' }))); // { queued: false }: dropped
const signal = await done;
console.log(signal.signalId, `${signal.outcomes.size}/${signal.expected} followers`, [...signal.outcomes.values()].map((outcome) => outcome.status));
console.log((await metrics.text()).split('\n').filter((line) => line.startsWith('xport_orders_total')).join('\n'));

await Promise.all(workers.map((worker) => worker.close()));
await fanOut.signals.obliterate({ force: true });
await fanOut.orders.obliterate({ force: true });
await fanOut.close();
