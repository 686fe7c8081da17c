// Retry outside a circuit breaker around a flaky exchange call, with the built package.
// Run: pnpm build && node packages/resilience/examples/quick-start.mjs
import { performance } from 'node:perf_hooks';
import { CircuitBreaker, CircuitOpenError, RetryPolicy, compose } from '@xport/resilience';

const unavailable = () => Object.assign(new Error('503 Service Unavailable'), { retryable: true });

// Tiny delays so the example runs in a blink; jitter off so the output is the same every run
// (keep the default full jitter in production).
const retry = new RetryPolicy({ name: 'binance.balance', baseDelayMs: 20, jitter: 'none', maxRetries: 4 });
const breaker = new CircuitBreaker({ name: 'binance', failureThreshold: 3, openDurationMs: 60_000 });
retry.onAttempt((event) => {
  if (event.type === 'retry') console.log(`  attempt ${event.attempt} failed (${event.error.message}), retrying in ${event.delayMs} ms`);
  if (event.type === 'recovered') console.log(`  attempt ${event.attempt} succeeded`);
  if (event.type === 'give_up') console.log(`  attempt ${event.attempt}: ${event.error.name}, not retried (${event.reason})`);
});
breaker.onStateChange(({ circuit, from, to, reason }) => console.log(`  breaker ${circuit}: ${from} -> ${to} (${reason})`));

let failuresLeft = 2;
const fetchBalance = compose(retry, breaker).wrap(async (asset) => {
  if (failuresLeft-- > 0) throw unavailable();
  return { asset, free: '1234.50' };
});

console.log('1. A flaky call is retried until it succeeds:');
const balance = await fetchBalance('USDT');
console.log(`  result: ${balance.free} ${balance.asset}`);

console.log('2. The exchange goes down; the breaker opens and the retry stops at once:');
failuresLeft = Infinity;
try {
  await fetchBalance('USDT');
} catch (error) {
  console.log(`  threw ${error.name} after ${error.attempts} attempts: ${error.message}`);
}

console.log('3. Later calls fail fast without touching the exchange:');
const started = performance.now();
const refusal = await fetchBalance('BTC').catch((error) => error);
const micros = ((performance.now() - started) * 1000).toFixed(0);
console.log(`  ${CircuitOpenError.isInstance(refusal) ? 'CircuitOpenError' : 'unexpected'} in ${micros} µs; retry after ${Math.round(refusal.retryAfterMs / 1000)} s`);
