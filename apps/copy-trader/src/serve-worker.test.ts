import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Simulator } from '@xport/simulator';
import { startSimulator } from '@xport/simulator';
import { SignalFanOut } from '@xport/queue-bullmq';
import { RedisVenueState } from '@xport/redis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { clientOrderIdFor, idempotencyKeyFor } from './client-order-id';
import { CLI, runCli } from './test-support/run-cli';

// `copy-trader serve` and `worker` as real processes against the real Redis and PostgreSQL and the
// in-process simulator, whose ledger is the witness: every follower's order exactly once.

const REDIS_URL = process.env.XPORT_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.XPORT_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';
const VENUES = ['binance', 'bybit', 'bitget'] as const;
type SimVenue = (typeof VENUES)[number];

/** A CLI process: its output so far, a way to wait for a line, and its exit. */
interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

function startCli(args: readonly string[], env: Readonly<Record<string, string>>): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { resolve(code); }));
  return {
    child,
    output: () => output,
    exited,
    async waitFor(pattern, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match !== null) return match;
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${String(pattern)} in:\n${output}`);
        await sleep(50);
      }
    },
  };
}

async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => { reject(new Error(`timed out: ${what()}`)); }, ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Followers {
  readonly path: string;
  readonly env: Record<string, string>;
  readonly accounts: { id: string; venue: SimVenue; apiKey: string }[];
}

/** `count` funded simulator accounts round-robin over the three venues, and a followers file naming their variables. */
async function writeFollowers(sim: Simulator, dir: string, tag: string, count: number): Promise<Followers> {
  const env: Record<string, string> = {};
  const accounts: Followers['accounts'] = [];
  const followers = Array.from({ length: count }, (_, index) => {
    const venue = VENUES[index % 3] ?? 'binance';
    const account = sim.accounts.create({ venue, balances: { USDT: '20000' }, futuresBalances: { USDT: '20000' } });
    const id = `${tag}${String(index + 1).padStart(4, '0')}`;
    const name = `Q_${tag.toUpperCase()}_${index}`;
    env[`${name}_KEY`] = account.apiKey;
    env[`${name}_SECRET`] = account.secret;
    if (account.passphrase !== undefined) env[`${name}_PASS`] = account.passphrase;
    accounts.push({ id, venue, apiKey: account.apiKey });
    return {
      id,
      exchange: venue,
      credentials: { apiKey: `${name}_KEY`, apiSecret: `${name}_SECRET`, ...(account.passphrase !== undefined && { passphrase: `${name}_PASS` }) },
      sizing: { ratio: '0.1' },
      maxNotional: '5000',
    };
  });
  const path = join(dir, `${tag}-followers.json`);
  await writeFile(path, JSON.stringify({ followers }));
  return { path, env, accounts };
}

function spotBuy(id: string): string {
  return `${JSON.stringify({ id, action: 'spotBuy', symbol: 'BTCUSDT', quantity: '0.2', price: '65000', masterEquity: '100000' })}\n`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

/** A TCP proxy to PostgreSQL on `port`: until it starts, that port refuses connections like a server that is down. */
async function startProxy(port: number, target: URL): Promise<Server> {
  const server = createServer((socket) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

async function answers(url: string): Promise<string | undefined> {
  if (url.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      return String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG') ? undefined : data.toString());
    });
    socket.once('error', (error) => { resolve(error.message); });
  });
}

const unavailable = [await answers(REDIS_URL), await answers(POSTGRES_URL)].filter((reason) => reason !== undefined);
const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (unavailable.length > 0 && !ci) console.info(`[@xport/copy-trader] serve/worker tests skipped: ${unavailable.join('; ')}. Start Redis and PostgreSQL (Debian: apt install redis-server postgresql).`);

describe.skipIf(unavailable.length > 0 && !ci)('copy-trader serve and worker (real Redis, PostgreSQL and simulator)', () => {
  let sim: Simulator;
  let dir: string;
  let baseUrlArgs: string[];
  let database: string;
  let journalUrl: URL;
  const processes: CliProcess[] = [];
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the build first (turbo's test task depends on it)`);
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'copy-trader-queue-'));
    baseUrlArgs = VENUES.flatMap((venue) => [`--base-url-${venue}`, `${sim.url}/${venue}`]);
    // A database of this file's own: the journal's table is created in it and dropped with it.
    database = `xport_queue_${process.pid}_${run}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    journalUrl = new URL(POSTGRES_URL);
    journalUrl.pathname = `/${database}`;
  });

  afterAll(async () => {
    for (const cli of processes) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    await sim.close();
    await rm(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    // The queues go with their keys; the outcome hashes expire on their own.
    for (const tag of ['a', 'h', 's', 'k', 'p']) {
      const queues = new SignalFanOut({ redisUrl: REDIS_URL, prefix: `q14-${tag}-${run}`, followerIds: [], jobIdOf: () => 'unused' });
      await queues.signals.obliterate({ force: true });
      await queues.orders.obliterate({ force: true });
      await queues.close();
    }
    // The venue state the workers shared (`--redis`): budgets, breakers and market catalogues.
    const state = new RedisVenueState({ redis: REDIS_URL });
    const keys = await state.redis.keys(`q14-*-${run}:venue:*`);
    if (keys.length > 0) await state.redis.del(...keys);
    await state.close();
  });

  const cli = (args: readonly string[], env: Readonly<Record<string, string>>): CliProcess => {
    const started = startCli(args, env);
    processes.push(started);
    return started;
  };
  const worker = (followers: Followers, queue: string, extra: readonly string[], journal: string = journalUrl.href): CliProcess =>
    cli(['worker', '--followers', followers.path, '--journal', journal, '--redis', REDIS_URL, '--queue', queue, ...baseUrlArgs, ...extra], followers.env);

  /** Each follower's orders for `signalId` in the simulator's ledger, by the client order id its pair derives. */
  const ordersOf = (followers: Followers, signalId: string): number[] =>
    followers.accounts.map(({ id, venue, apiKey }) => {
      const clientOrderId = clientOrderIdFor(idempotencyKeyFor(signalId, id));
      return sim.ledger.orders({ venue, apiKey }).filter((order) => order.clientOrderId === clientOrderId).length;
    });
  const placedCount = (followers: Followers, signalId: string): number => ordersOf(followers, signalId).reduce((sum, count) => sum + count, 0);

  it('a signal to 200 followers over three venues, through serve and two workers on two egress addresses: every order exactly once; a second submission sends nothing', async () => {
    const followers = await writeFollowers(sim, dir, 'a', 200);
    const queue = `q14-a-${run}`;
    const signalId = `a-${run}`;
    await writeFile(join(dir, 'a.jsonl'), spotBuy(signalId));
    const workers = [worker(followers, queue, ['--egress', '127.0.0.2', '--http', '0']), worker(followers, queue, ['--egress', '127.0.0.3'])];
    const [, metricsUrl] = (await workers[0]?.waitFor(/(http:\/\/127\.0\.0\.1:\d+)\/metrics/)) ?? [];
    await workers[1]?.waitFor(/^worker: 200 followers/m);

    const serve = cli(['serve', '--followers', followers.path, '--signals', join(dir, 'a.jsonl'), '--redis', REDIS_URL, '--queue', queue], followers.env);
    const code = await within(serve.exited, 240_000, serve.output);
    expect(serve.output()).toMatch(new RegExp(`\\[1/1\\] ${signalId} spotBuy BTCUSDT 0\\.2 @ 65000: 200 placed in \\d+ ms\\n`));
    expect(serve.output()).toContain('summary: 1 signals, 200 orders placed, 0 skipped, 0 failed\n');
    expect(code).toBe(0);
    expect(ordersOf(followers, signalId)).toEqual(followers.accounts.map(() => 1));
    // `--redis` given: both workers kept the venues' market catalogues (and budgets) in Redis, under the queue's prefix.
    expect(workers[0]?.output()).toContain('venue budgets, breakers and markets shared through Redis');
    const state = new RedisVenueState({ redis: REDIS_URL });
    try {
      expect((await state.redis.keys(`${queue}:venue:cache:*`)).length).toBeGreaterThan(0);
    } finally {
      await state.close();
    }

    const metrics = await (await fetch(`${metricsUrl ?? ''}/metrics`)).text();
    const placedHere = [...metrics.matchAll(/^xport_orders_total\{venue="(\w+)",status="placed"\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[2]), 0);
    expect(placedHere).toBeGreaterThan(0);
    expect(placedHere).toBeLessThanOrEqual(200);
    expect(metrics).toMatch(/^xport_signal_to_order_seconds_count\{venue="\w+"\} \d+$/m);
    expect((await fetch(`${metricsUrl ?? ''}/healthz`)).status).toBe(200);

    // The same file again: BullMQ keeps the signal's job, drops the duplicate, and nothing is sent.
    const again = cli(['serve', '--followers', followers.path, '--signals', join(dir, 'a.jsonl'), '--redis', REDIS_URL, '--queue', queue], followers.env);
    expect(await within(again.exited, 60_000, again.output), again.output()).toBe(0);
    expect(again.output()).toContain(`${signalId}: already submitted (kept in the queue): not sent again\n`);
    expect(placedCount(followers, signalId)).toBe(200);

    // Graceful stop: each worker finishes what it holds, closes its connections and exits 0.
    for (const started of workers) started.child.kill('SIGTERM');
    expect(await within(Promise.all(workers.map((started) => started.exited)), 60_000, () => workers.map((started) => started.output()).join('\n'))).toEqual([0, 0]);
    expect(workers[0]?.output()).toContain('worker: stopped\n');
  }, 400_000);

  it('HTTP: POST /signals queues the signals file format, refuses a bad body naming the line, and drops a duplicate', async () => {
    const followers = await writeFollowers(sim, dir, 'h', 6);
    const queue = `q14-h-${run}`;
    const signalId = `h-${run}`;
    const serve = cli(['serve', '--followers', followers.path, '--http', '0', '--redis', REDIS_URL, '--queue', queue], followers.env);
    const [, url] = await serve.waitFor(/POST signals to (http:\/\/127\.0\.0\.1:\d+)\/signals/);
    const post = async (body: string): Promise<[number, unknown]> => {
      const response = await fetch(`${url ?? ''}/signals`, { method: 'POST', body });
      return [response.status, await response.json()];
    };
    expect(await post('{"id":"x","action":"spotBuy"}\n')).toEqual([400, { error: expect.stringMatching(/^request body\b[\s\S]*\bline 1: symbol: expected a symbol/) as unknown }]);
    expect(await post(spotBuy(signalId))).toEqual([202, { queued: [signalId], duplicates: [] }]);
    expect(await post(spotBuy(signalId))).toEqual([202, { queued: [], duplicates: [signalId] }]);
    const work = worker(followers, queue, ['--egress', '127.0.0.4']);
    await serve.waitFor(/6 placed in \d+ ms/, 120_000);
    expect(ordersOf(followers, signalId)).toEqual([1, 1, 1, 1, 1, 1]);
    expect((await fetch(`${url ?? ''}/healthz`)).status).toBe(200);
    serve.child.kill('SIGTERM');
    work.child.kill('SIGTERM');
    expect(await within(Promise.all([serve.exited, work.exited]), 60_000, serve.output)).toEqual([0, 0]);
  }, 300_000);

  it('--signals - reads the signals from stdin', async () => {
    const followers = await writeFollowers(sim, dir, 's', 3);
    const queue = `q14-s-${run}`;
    const signalId = `s-${run}`;
    const work = worker(followers, queue, ['--egress', '127.0.0.4']);
    const report = join(dir, 's-report.json');
    const serve = cli(['serve', '--followers', followers.path, '--signals', '-', '--redis', REDIS_URL, '--queue', queue, '--json', report], followers.env);
    serve.child.stdin.end(spotBuy(signalId));
    expect(await within(serve.exited, 120_000, serve.output)).toBe(0);
    expect(serve.output()).toContain('summary: 1 signals, 3 orders placed, 0 skipped, 0 failed\n');
    const json = JSON.parse(await readFile(report, 'utf8')) as { summary: { counts: { placed: number } }; signals: { results: { clientOrderId: string; order?: { status: string } }[] }[] };
    expect(json.summary.counts.placed).toBe(3);
    expect(json.signals[0]?.results.map((result) => [result.clientOrderId, result.order?.status])).toEqual(
      followers.accounts.map(({ id }) => [clientOrderIdFor(idempotencyKeyFor(signalId, id)), 'filled']),
    );
    expect(ordersOf(followers, signalId)).toEqual([1, 1, 1]);
    work.child.kill('SIGTERM');
    expect(await within(work.exited, 60_000, work.output)).toBe(0);
  }, 300_000);

  it('kill -9 of a worker mid-signal: its jobs go to another worker and every order is placed exactly once, none lost', async () => {
    const followers = await writeFollowers(sim, dir, 'k', 90);
    const queue = `q14-k-${run}`;
    const signalId = `k-${run}`;
    await writeFile(join(dir, 'k.jsonl'), spotBuy(signalId));
    // Short locks and leases, so that the dead worker's jobs and journal claims come free within seconds.
    const timing = ['--lock-ms', '3000', '--request-timeout-ms', '2000', '--journal-lease-ms', '12000', '--concurrency', '8'];
    const first = worker(followers, queue, ['--egress', '127.0.0.2', ...timing]);
    await first.waitFor(/^worker: 90 followers/m);
    const serve = cli(['serve', '--followers', followers.path, '--signals', join(dir, 'k.jsonl'), '--redis', REDIS_URL, '--queue', queue], followers.env);
    const until = Date.now() + 120_000;
    while (placedCount(followers, signalId) < 10 && Date.now() < until) await sleep(20);
    first.child.kill('SIGKILL');
    await first.exited;
    const placedByTheDead = placedCount(followers, signalId);
    expect(placedByTheDead).toBeGreaterThanOrEqual(10);
    expect(placedByTheDead).toBeLessThan(90);

    const second = worker(followers, queue, ['--egress', '127.0.0.3', ...timing]);
    const code = await within(serve.exited, 300_000, () => `${serve.output()}\n${second.output()}`);
    expect(serve.output()).toContain('summary: 1 signals, 90 orders placed, 0 skipped, 0 failed\n');
    expect(code).toBe(0);
    expect(ordersOf(followers, signalId)).toEqual(followers.accounts.map(() => 1));
    second.child.kill('SIGTERM');
    expect(await within(second.exited, 60_000, second.output)).toBe(0);
  }, 400_000);

  it('PostgreSQL unreachable: nothing reaches the venues, the jobs wait and retry, and complete once the journal answers', async () => {
    const followers = await writeFollowers(sim, dir, 'p', 12);
    const queue = `q14-p-${run}`;
    const signalId = `p-${run}`;
    await writeFile(join(dir, 'p.jsonl'), spotBuy(signalId));
    const port = await freePort();
    const behindProxy = new URL(journalUrl.href);
    behindProxy.hostname = '127.0.0.1';
    behindProxy.port = String(port);
    const work = worker(followers, queue, ['--egress', '127.0.0.5', '--http', '0'], behindProxy.href);
    const [, url] = await work.waitFor(/(http:\/\/127\.0\.0\.1:\d+)\/metrics/);
    const serve = cli(['serve', '--followers', followers.path, '--signals', join(dir, 'p.jsonl'), '--redis', REDIS_URL, '--queue', queue], followers.env);

    let retries = 0;
    let metrics = '';
    const until = Date.now() + 60_000;
    while (retries < 12 && Date.now() < until) {
      await sleep(250);
      metrics = await (await fetch(`${url ?? ''}/metrics`)).text();
      retries = Number(/^xport_job_retries_total\{reason="journal_unreachable"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
    }
    expect(retries).toBeGreaterThanOrEqual(12);
    // Every job still in the queue (most waiting out their backoff), none completed.
    const jobs = (state: string): number => Number(new RegExp(`^xport_queue_jobs\\{queue="orders",state="${state}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    expect(jobs('delayed') + jobs('waiting') + jobs('active') + jobs('prioritized')).toBe(12);
    expect(jobs('completed')).toBe(0);
    expect(placedCount(followers, signalId)).toBe(0);
    // Not one request with these followers' keys: the journal is read before anything is sized or sent.
    expect(followers.accounts.flatMap(({ venue, apiKey }) => sim.requests({ exchange: venue, apiKey }))).toEqual([]);
    expect(serve.child.exitCode).toBeNull();

    const proxy = await startProxy(port, journalUrl);
    try {
      const code = await within(serve.exited, 120_000, serve.output);
      expect(serve.output()).toContain('summary: 1 signals, 12 orders placed, 0 skipped, 0 failed\n');
      expect(code).toBe(0);
      expect(ordersOf(followers, signalId)).toEqual(followers.accounts.map(() => 1));
    } finally {
      work.child.kill('SIGTERM');
      await within(work.exited, 60_000, work.output);
      proxy.close();
    }
  }, 300_000);
});

describe('copy-trader serve and worker (built): the command line', () => {
  const usage = async (args: readonly string[]): Promise<[number | null, string, string]> => {
    const { code, stdout, stderr } = await runCli(args);
    return [code, stdout, stderr];
  };

  it('top-level --help lists serve and worker; each has its own help', async () => {
    const [code, top] = await usage(['--help']);
    expect(code).toBe(0);
    expect(top).toMatch(/\n {2}copy-trader serve --followers FILE \[--signals FILE\|-\] \[--http PORT\]/);
    expect(top).toMatch(/\n {2}copy-trader worker --followers FILE --journal URL \[--egress ADDRESS\]/);
    const [workerCode, worker] = await usage(['worker', '--help']);
    expect(workerCode).toBe(0);
    expect(worker).toMatch(/^copy-trader worker: /);
    expect(worker).toContain('usage: copy-trader worker --followers FILE --journal URL [options]');
    for (const option of ['--egress ADDRESS', '--concurrency N', '--lock-ms N', '--redis URL', '--queue NAME', '--http PORT', '--base-url-bybit URL']) expect(worker).toContain(option);
    const [serveCode, serve] = await usage(['serve', '--help']);
    expect(serveCode).toBe(0);
    expect(serve).toContain('usage: copy-trader serve --followers FILE [options]');
    expect(serve).toContain('--json FILE|-');
  }, 60_000);

  it('a wrong command line is one line and exit 2, before anything connects', async () => {
    const refused = (line: string): [number, string, string] => [2, '', `copy-trader: usage: ${line}\n`];
    expect(await usage(['worker', '--followers', 'f.json', '--journal', 'j.db'])).toEqual(refused('--journal: a worker needs the PostgreSQL journal (postgres://…), which every worker shares (copy-trader worker --help lists the options)'));
    expect(await usage(['worker', '--followers', 'f.json'])).toEqual(refused('--journal is required (copy-trader --help lists the options)'));
    expect(await usage(['worker', '--followers', 'f.json', '--journal', 'postgres://x@127.0.0.1/db', '--egress', 'eth0'])).toEqual(refused('--egress: expected a local IP address, got "eth0" (copy-trader worker --help lists the options)'));
    expect(await usage(['serve', '--followers', 'f.json'])).toEqual(refused('give --signals FILE (or - for standard input), --http PORT, or both (copy-trader serve --help lists the options)'));
    expect(await usage(['serve', '--followers', 'f.json', '--http', 'x'])).toEqual(refused('--http: expected an integer from 0 to 65535, got "x" (copy-trader --help lists the options)'));
    expect(await usage(['worker', '--followers', 'f.json', '--dry-run'])).toEqual(refused('--dry-run is not an option of worker (it is one of run) (copy-trader worker --help lists the options)'));
    expect(await usage(['serve', '--followers', 'f.json', '--journal', 'j.db'])).toEqual(refused('--journal is not an option of serve (it is one of demo, run, journal or worker) (copy-trader serve --help lists the options)'));
    expect(await usage(['serve', '--bogus'])).toEqual(refused('unknown option --bogus for serve (copy-trader serve --help lists the options)'));
  }, 60_000);
});
