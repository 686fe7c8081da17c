#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { CatalogueSize } from './catalogue';
import type { RateLimitBudgets } from './contract';
import { ALL_VENUES, startSimulator } from './start-simulator';

const USAGE = `Usage: xport-sim [--port 8899] [--seed 42] [--host 127.0.0.1] [--catalogue minimal|real] [--slippage 0]
                 [--binance-weight-per-minute N] [--bybit-orders-per-second N] [--bitget-requests-per-second N]

A local exchange speaking Binance, Bybit and Bitget REST under /binance, /bybit and /bitget,
with a JSON control API under /_sim. --port 0 picks a free port. The budget flags replace the
venues' real rate limits (raise them for load tests, lower them to reach a limit quickly).`;

interface CliOptions {
  readonly port: number;
  readonly seed: number;
  readonly host: string;
  readonly catalogue: CatalogueSize;
  readonly slippage: string;
  readonly budgets: RateLimitBudgets;
}

function integer(value: string, name: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${value}`);
  return parsed;
}

function parseCliOptions(argv: readonly string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '8899' },
      seed: { type: 'string', default: '42' },
      host: { type: 'string', default: '127.0.0.1' },
      catalogue: { type: 'string', default: 'minimal' },
      slippage: { type: 'string', default: '0' },
      'binance-weight-per-minute': { type: 'string' },
      'bybit-orders-per-second': { type: 'string' },
      'bitget-requests-per-second': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  if (values.catalogue !== 'minimal' && values.catalogue !== 'real') throw new Error(`--catalogue must be minimal or real, got ${values.catalogue}`);
  if (!/^\d+(\.\d+)?$/.test(values.slippage)) throw new Error(`--slippage must be a non-negative decimal, got ${values.slippage}`);
  const budget = (name: 'binance-weight-per-minute' | 'bybit-orders-per-second' | 'bitget-requests-per-second'): number | undefined => {
    const value = values[name];
    return value === undefined ? undefined : integer(value, name, 1, Number.MAX_SAFE_INTEGER);
  };
  const binanceWeightPerMinute = budget('binance-weight-per-minute');
  const bybitOrdersPerSecond = budget('bybit-orders-per-second');
  const bitgetRequestsPerSecond = budget('bitget-requests-per-second');
  return {
    port: integer(values.port, 'port', 0, 65535),
    seed: integer(values.seed, 'seed', 0, 2 ** 32 - 1),
    host: values.host,
    catalogue: values.catalogue,
    slippage: values.slippage,
    budgets: {
      ...(binanceWeightPerMinute === undefined ? {} : { binanceWeightPerMinute }),
      ...(bybitOrdersPerSecond === undefined ? {} : { bybitOrdersPerSecond }),
      ...(bitgetRequestsPerSecond === undefined ? {} : { bitgetRequestsPerSecond }),
    },
  };
}

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    const argv = process.argv.slice(2);
    // `pnpm sim -- --port 8899` may hand the separator through; it means nothing here.
    options = parseCliOptions(argv[0] === '--' ? argv.slice(1) : argv);
  } catch (error) {
    process.stderr.write(`xport-sim: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sim = await startSimulator(options);
  // Tools wait for exactly this line; keep it first and unchanged.
  process.stdout.write(`xport-sim listening on ${sim.url}\n`);
  const lines = [`demo accounts (seed ${options.seed}):`];
  for (const account of sim.accounts.demo()) {
    const passphrase = account.passphrase === undefined ? '' : `  passphrase=${account.passphrase}`;
    lines.push(`  ${account.venue.padEnd(8)} apiKey=${account.apiKey}  secret=${account.secret}${passphrase}`);
  }
  lines.push(`venues: ${ALL_VENUES.map((venue) => `${sim.url}/${venue.name}`).join('  ')}   control: ${sim.url}/_sim`);
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`xport-sim: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`xport-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
