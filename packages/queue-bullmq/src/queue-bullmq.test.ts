import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

import { ConfigurationError } from '@xport/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { FollowerJob, OpsServer, SignalDone } from './index';
import { FanOutMetrics, FollowerJobWorker, RetryLaterError, SignalFanOut, startOpsServer } from './index';

// Against the real Redis (XPORT_REDIS_URL), each test under a key prefix of its own.
const REDIS_URL = process.env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379';

function redisUnavailable(): Promise<string | undefined> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG') ? undefined : data.toString());
    });
    socket.once('error', (error) => {
      resolve(error.message);
    });
  });
}

const unavailable = await redisUnavailable();
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (unavailable !== undefined && !ci) console.info(`[@xport/queue-bullmq] skipped: Redis at ${REDIS_URL} did not answer (${unavailable}). Start one (Debian: apt install redis-server) or set XPORT_REDIS_URL.`);

/** What one test started, closed after it. */
const open: { close(): Promise<void> }[] = [];
const prefixes: string[] = [];

function prefix(): string {
  const value = `xport-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  prefixes.push(value);
  return value;
}

/** Resolves with the first signal done. */
function signalDone(): { readonly done: Promise<SignalDone>; readonly onSignalDone: (done: SignalDone) => void } {
  let resolve: (done: SignalDone) => void = () => undefined;
  const done = new Promise<SignalDone>((settle) => (resolve = settle));
  return { done, onSignalDone: (value) => { resolve(value); } };
}

const FOLLOWERS = Array.from({ length: 25 }, (_, index) => `f${index + 1}`);
const jobIdOf = (signalId: string, followerId: string): string => `k-${signalId}-${followerId}`;

describe.skipIf(unavailable !== undefined && !ci)('@xport/queue-bullmq against Redis', () => {
  afterEach(async () => {
    await Promise.all(open.splice(0).map((item) => item.close()));
  });

  afterAll(async () => {
    // The queues' keys go with the queues; the outcome hashes expire (keepSeconds below).
    for (const name of prefixes) {
      const fanOut = new SignalFanOut({ redisUrl: REDIS_URL, prefix: name, followerIds: [], jobIdOf });
      await fanOut.signals.obliterate({ force: true });
      await fanOut.orders.obliterate({ force: true });
      await fanOut.close();
    }
  });

  it('fans a signal out to one job per follower, each processed once, and reports every outcome', async () => {
    const location = { redisUrl: REDIS_URL, prefix: prefix(), keepSeconds: 120 };
    const { done, onSignalDone } = signalDone();
    const metrics = new FanOutMetrics({ defaultMetrics: false });
    const fanOut = new SignalFanOut({ ...location, followerIds: FOLLOWERS, jobIdOf, onSignalDone, metrics, pollMs: 50 });
    open.push(fanOut);
    const seen: FollowerJob[] = [];
    const workers = [1, 2].map(
      () =>
        new FollowerJobWorker({
          ...location,
          metrics,
          concurrency: 4,
          process: (job) => {
            seen.push(job);
            return Promise.resolve({ status: job.followerId === 'f3' ? 'skipped' : 'placed', venue: 'binance', result: JSON.stringify({ followerId: job.followerId }) });
          },
        }),
    );
    open.push(...workers);
    for (const worker of workers) void worker.run();
    await fanOut.start();

    expect(await fanOut.submit('s1', '{"id":"s1"}')).toEqual({ queued: true });
    const report = await done;
    expect(report.signalId).toBe('s1');
    expect(report.timedOut).toBe(false);
    expect(report.expected).toBe(25);
    expect([...report.outcomes.keys()].sort()).toEqual([...FOLLOWERS].sort());
    expect(report.outcomes.get('f3')?.status).toBe('skipped');
    expect(seen.map((job) => job.followerId).sort()).toEqual([...FOLLOWERS].sort());
    expect(new Set(seen.map((job) => job.jobId))).toEqual(new Set(FOLLOWERS.map((id) => jobIdOf('s1', id))));
    expect(seen.every((job) => job.payload === '{"id":"s1"}' && job.attemptsMade === 0)).toBe(true);

    // The same signal again: BullMQ keeps the job of that id and drops the duplicate; nothing is processed.
    expect(await fanOut.submit('s1', '{"id":"s1"}')).toEqual({ queued: false });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen).toHaveLength(25);

    const text = await metrics.text();
    expect(text).toContain('xport_orders_total{venue="binance",status="placed"} 24');
    expect(text).toContain('xport_orders_total{venue="binance",status="skipped"} 1');
    expect(text).toContain('xport_signal_to_order_seconds_count{venue="binance"} 25');
    expect(text).toMatch(/^xport_queue_jobs\{queue="orders",state="completed"\} 25$/m);
  });

  it('a job that cannot be done now is retried after its backoff, then completes', async () => {
    const location = { redisUrl: REDIS_URL, prefix: prefix(), keepSeconds: 120 };
    const { done, onSignalDone } = signalDone();
    const metrics = new FanOutMetrics({ defaultMetrics: false });
    const fanOut = new SignalFanOut({ ...location, followerIds: ['a', 'b'], jobIdOf, onSignalDone, backoffMs: 100, pollMs: 50 });
    open.push(fanOut);
    const attempts: string[] = [];
    const worker = new FollowerJobWorker({
      ...location,
      metrics,
      process: (job) => {
        attempts.push(`${job.followerId}#${job.attemptsMade}`);
        if (job.followerId === 'b' && job.attemptsMade < 2) return Promise.reject(new RetryLaterError('journal_unreachable', 'the journal does not answer'));
        return Promise.resolve({ status: 'placed', venue: 'bybit', result: '{}' });
      },
    });
    open.push(worker);
    void worker.run();
    await fanOut.start();
    await fanOut.submit('s2', '{}');
    const report = await done;
    expect(report.outcomes.size).toBe(2);
    expect(attempts.sort()).toEqual(['a#0', 'b#0', 'b#1', 'b#2']);
    expect(await metrics.text()).toContain('xport_job_retries_total{reason="journal_unreachable"} 2');
  });

  it('a job out of tries is reported as failed with its id, so the signal report is complete', async () => {
    const location = { redisUrl: REDIS_URL, prefix: prefix(), keepSeconds: 120 };
    const { done, onSignalDone } = signalDone();
    const fanOut = new SignalFanOut({ ...location, followerIds: ['z'], jobIdOf, onSignalDone, attempts: 2, backoffMs: 50, pollMs: 50 });
    const worker = new FollowerJobWorker({ ...location, process: () => Promise.reject(new RetryLaterError('journal_unreachable', 'no journal')) });
    open.push(fanOut, worker);
    void worker.run();
    await fanOut.start();
    await fanOut.submit('s3', '{}');
    const outcome = (await done).outcomes.get('z');
    expect(outcome?.status).toBe('failed');
    expect(JSON.parse(outcome?.result ?? '{}')).toEqual({ followerId: 'z', status: 'failed', reason: 'gave up after 2 attempts (no journal); the order journal holds what was sent under k-s3-z' });
  });

  it('refuses what BullMQ would refuse or misread, naming the field', () => {
    const refusal = (() => {
      try {
        new SignalFanOut({ redisUrl: 'http://127.0.0.1:6379', followerIds: [], jobIdOf });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(ConfigurationError.isInstance(refusal)).toBe(true);
    expect(refusal).toMatchObject({ field: 'redisUrl', expected: 'a redis:// or rediss:// URL', message: 'redisUrl: expected a redis:// or rediss:// URL, got a http: URL' });
    expect(() => new SignalFanOut({ redisUrl: REDIS_URL, prefix: 'a b', followerIds: [], jobIdOf })).toThrow(/^prefix: expected 1 to 64 letters/);
    expect(() => new FollowerJobWorker({ redisUrl: REDIS_URL, concurrency: 0, process: () => Promise.reject(new Error('unused')) })).toThrow('concurrency: expected a positive integer, got 0');
  });

  it('submit refuses a signal id BullMQ cannot take as a job id', async () => {
    const fanOut = new SignalFanOut({ redisUrl: REDIS_URL, prefix: prefix(), followerIds: [], jobIdOf });
    open.push(fanOut);
    await expect(fanOut.submit('a:b', '{}')).rejects.toThrow('signalId: expected a job id without ":"');
    await expect(fanOut.submit('42', '{}')).rejects.toThrow('signalId: expected a job id that is not an integer');
  });

  describe('ops server', () => {
    let server: OpsServer;
    let healthy = true;
    beforeAll(async () => {
      const metrics = new FanOutMetrics({ defaultMetrics: false });
      metrics.breakerChanged('binance', 'spot', 'open');
      metrics.rateLimited('bybit', '10006');
      metrics.venueEvent({ type: 'budget_wait', venue: 'binance', scope: 'account', waitedMs: 2_500 });
      metrics.venueEvent({ type: 'rate_limited', venue: 'binance', refusal: '418' });
      server = await startOpsServer({
        port: 0,
        metrics,
        health: () => Promise.resolve({ ok: healthy }),
        routes: { 'POST /echo': (body) => Promise.resolve({ status: 202, body: { got: body } }) },
        maxBodyBytes: 16,
      });
    });
    afterAll(() => server.close());

    it('answers /healthz, /metrics and the routes it was given, on 127.0.0.1', async () => {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      healthy = false;
      const down = await fetch(`${server.url}/healthz`);
      expect([down.status, await down.json()]).toEqual([503, { ok: false }]);
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await metrics.text();
      expect(text).toContain('xport_breaker_state{venue="binance",market="spot"} 2');
      expect(text).toContain('xport_rate_limited_total{venue="bybit",refusal="10006"} 1');
      expect(text).toContain('xport_rate_limited_total{venue="binance",refusal="418"} 1');
      expect(text).toContain('xport_budget_wait_seconds_sum{venue="binance",scope="account"} 2.5');
      const echo = await fetch(`${server.url}/echo`, { method: 'POST', body: 'hello' });
      expect([echo.status, await echo.json()]).toEqual([202, { got: 'hello' }]);
      expect((await fetch(`${server.url}/echo`, { method: 'POST', body: 'x'.repeat(17) })).status).toBe(413);
      expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    });
  });
});
