/**
 * Per-call overhead of retry + circuit breaker around an async function that resolves at once,
 * against cockatiel 4 and opossum 10, in one process. Also the cost of a fast failure on an open
 * breaker. Run with `pnpm --filter @xport/resilience bench` after a build: it loads the BUILT
 * package from ../dist, so the figures are what users get.
 *
 * Method: every scenario runs in rounds of sequential awaited calls, the rounds of all scenarios
 * interleaved so a noisy neighbour hits them alike; each scenario's figure is its fastest round
 * (the least disturbed), the median is printed beside it.
 */
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Cockatiel from 'cockatiel';
import Opossum from 'opossum';
import type * as Resilience from '../src/index';

type Call = (index: number) => Promise<unknown>;

interface Scenario {
  readonly label: string;
  readonly group: 'success' | 'fast-fail';
  readonly library: 'baseline' | 'xport' | 'cockatiel' | 'opossum';
  readonly calls: number;
  readonly call: Call;
  readonly samples: number[];
}

const ROUNDS = 15;
const SUCCESS_CALLS = 200_000;
const FAST_FAIL_CALLS = 20_000;

async function loadBuiltPackage(): Promise<typeof Resilience> {
  const url = pathToFileURL(resolve(__dirname, '..', 'dist', 'index.mjs')).href;
  return (await import(url)) as typeof Resilience;
}

/**
 * cockatiel is ESM-only. A static import here would be required through tsx's CommonJS transform,
 * which rewrites cockatiel's own module bindings into getters and doubles its per-call cost; the
 * dynamic import loads it natively, as its users get it.
 */
async function loadCockatiel(): Promise<typeof Cockatiel> {
  return import('cockatiel');
}

async function timeRound(scenario: Scenario, expectFailure: boolean): Promise<number> {
  const started = process.hrtime.bigint();
  for (let index = 0; index < scenario.calls; index++) {
    try {
      await scenario.call(index);
      if (expectFailure) throw new Error(`${scenario.label} did not fail fast`);
    } catch (error) {
      if (!expectFailure) throw error;
    }
  }
  return Number(process.hrtime.bigint() - started) / scenario.calls;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function best(scenario: Scenario): number {
  return Math.min(...scenario.samples);
}

const format = (ns: number): string => ns.toFixed(0);

async function main(): Promise<void> {
  const { CircuitBreaker, RetryPolicy, compose } = await loadBuiltPackage();
  const { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleAll, handleWhen, isBrokenCircuitError, retry: cockatielRetry, wrap } =
    await loadCockatiel();
  // The subject is an async function that resolves at once.
  // eslint-disable-next-line @typescript-eslint/require-await
  const bare = async (value: number): Promise<number> => value;

  // Ours with the hooks in place: a logger and listeners on both policies (they cost nothing until something fails).
  const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const ourRetry = new RetryPolicy({ logger: silent, name: 'bench' });
  const ourBreaker = new CircuitBreaker({ logger: silent, name: 'bench' });
  ourRetry.onAttempt(() => undefined);
  ourBreaker.onStateChange(() => undefined);
  const ourPolicy = compose(ourRetry, ourBreaker);
  const ourWrapped = ourPolicy.wrap(bare);

  // cockatiel's retry must be told not to retry an open circuit (with handleAll it backs off and retries it).
  const cockatielRetryable = handleWhen((error) => !isBrokenCircuitError(error));
  const cockatielStack = (breaker: Cockatiel.ConsecutiveBreaker, halfOpenAfter: number) => {
    const cockatielBreaker = circuitBreaker(handleAll, { halfOpenAfter, breaker });
    return { cockatielBreaker, policy: wrap(cockatielRetry(cockatielRetryable, { maxAttempts: 3, backoff: new ExponentialBackoff() }), cockatielBreaker) };
  };
  const cockatielPolicy = cockatielStack(new ConsecutiveBreaker(5), 60_000).policy;
  const opossumDefaults = new Opossum(bare);
  const opossumNoTimeout = new Opossum(bare, { timeout: false });

  // Open breakers, each tripped by a real failure and held open for longer than the run.
  const HOUR = 3_600_000;
  const failing = (): Promise<never> => Promise.reject(new Error('down'));
  const openRetry = new RetryPolicy({ logger: silent });
  const openBreaker = new CircuitBreaker({ logger: silent, failureThreshold: 1, openDurationMs: HOUR });
  openRetry.onAttempt(() => undefined);
  openBreaker.onStateChange(() => undefined);
  await openBreaker.execute(failing).catch(() => undefined);
  const openWrapped = compose(openRetry, openBreaker).wrap(bare);
  const openBreakerOnly = openBreaker.wrap(bare);
  const cockatielOpen = cockatielStack(new ConsecutiveBreaker(1), HOUR).policy;
  await cockatielOpen.execute(failing).catch(() => undefined);
  const opossumOpen = new Opossum(bare, { timeout: false, resetTimeout: HOUR });
  opossumOpen.open();
  if (openBreaker.state !== 'open') throw new Error('the xport breaker did not open');

  const scenario = (label: string, group: Scenario['group'], library: Scenario['library'], call: Call): Scenario => ({
    label,
    group,
    library,
    call,
    calls: group === 'success' ? SUCCESS_CALLS : FAST_FAIL_CALLS,
    samples: [],
  });
  const scenarios: Scenario[] = [
    scenario('bare `await fn()`', 'success', 'baseline', bare),
    scenario('xport `compose(retry, breaker).wrap(fn)`', 'success', 'xport', ourWrapped),
    scenario('xport `compose(retry, breaker).execute(() => fn())`', 'success', 'xport', (index) => ourPolicy.execute(() => bare(index))),
    scenario('cockatiel 4 `wrap(retry, circuitBreaker).execute`', 'success', 'cockatiel', (index) => cockatielPolicy.execute(() => bare(index))),
    scenario('opossum 10 `fire()` (defaults: 10 s timeout timer)', 'success', 'opossum', (index) => opossumDefaults.fire(index)),
    scenario('opossum 10 `fire()` (timeout: false)', 'success', 'opossum', (index) => opossumNoTimeout.fire(index)),
    scenario('xport open breaker, through retry', 'fast-fail', 'xport', openWrapped),
    scenario('xport open breaker alone', 'fast-fail', 'xport', openBreakerOnly),
    scenario('cockatiel 4 open breaker, through retry', 'fast-fail', 'cockatiel', (index) => cockatielOpen.execute(() => bare(index))),
    scenario('opossum 10 open breaker', 'fast-fail', 'opossum', (index) => opossumOpen.fire(index)),
  ];

  for (const each of scenarios) await timeRound(each, each.group === 'fast-fail'); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const each of scenarios) each.samples.push(await timeRound(each, each.group === 'fast-fail'));
  }
  for (const breaker of [opossumDefaults, opossumNoTimeout, opossumOpen]) breaker.shutdown();

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`@xport/resilience overhead — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpu} (${cpus().length} cores)`);
  console.log(`${ROUNDS} interleaved rounds; ns/call = fastest round (median in brackets)\n`);
  for (const group of ['success', 'fast-fail'] as const) {
    const rows = scenarios.filter((each) => each.group === group);
    const ours = rows.find((each) => each.library === 'xport');
    const baseline = scenarios[0];
    if (ours === undefined || baseline === undefined) throw new Error('scenario table is incomplete');
    console.log(group === 'success' ? '## Success path (fn resolves at once)\n' : '## Fast failure on an open breaker\n');
    console.log('| scenario | ns/call | over bare await | xport ÷ this |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const row of rows) {
      const overhead = row.library === 'baseline' ? '—' : format(best(row) - best(baseline));
      const ratio = row.library === 'cockatiel' || row.library === 'opossum' ? (best(ours) / best(row)).toFixed(2) : '—';
      console.log(`| ${row.label} | ${format(best(row))} (${format(median(row.samples))}) | ${overhead} | ${ratio} |`);
    }
    const fastest = Math.min(...rows.filter((row) => row.library === 'cockatiel' || row.library === 'opossum').map(best));
    const verdict = best(ours) <= fastest / 2 ? 'met' : 'MISSED';
    console.log(`\nxport ${format(best(ours))} ns vs fastest other ${format(fastest)} ns: ratio ${(best(ours) / fastest).toFixed(2)} (target <= 0.50: ${verdict})\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
