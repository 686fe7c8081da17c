import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { clientOrderIdFor } from '@xport/copy-trader';
import type { Simulator } from '@xport/simulator';
import { VENUE_NAMES } from '@xport/venues';
import type { VenueName } from '@xport/venues';


/** The copy-trader's built CLI: the soak kills and restarts the real process. */
export const COPY_TRADER_CLI = join(dirname(createRequire(import.meta.url).resolve('@xport/copy-trader/package.json')), 'dist', 'cli.mjs');

/** A deterministic source of numbers in [0, 1) (mulberry32): the same seed kills at the same points. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The inputs of one copy-trader deployment: its files, its accounts, and every (signal, follower) pair it must place once. */
export interface RestartInputs {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly apiKeys: ReadonlySet<string>;
  /** Client order id → `${signalId}:${followerId}`. */
  readonly pairs: ReadonlyMap<string, string>;
}

export interface RestartInputOptions {
  readonly dir: string;
  readonly followersPerVenue: number;
  readonly signals: number;
  /** Distinguishes the deployments sharing one simulator (their signal ids and variable names). */
  readonly prefix: string;
}

/**
 * Followers on every venue (one-way mode, ratio sizing) and a signals file that cycles through two
 * spot buys, a futures long, a futures short and a spot sell of half what the buys bought: a sell
 * re-sized after the crash of the run that executed it would find less to sell, and every pair
 * places an order whatever order the pairs in doubt are settled in. (Whole-leg closes are left out:
 * one that runs while its open is still claimed by a killed process closes nothing, and the next
 * close takes both legs — see the copy-trader's README.)
 */
export async function writeRestartInputs(sim: Simulator, options: RestartInputOptions): Promise<RestartInputs> {
  const env: Record<string, string> = {};
  const apiKeys = new Set<string>();
  const followers = VENUE_NAMES.flatMap((venue: VenueName) =>
    Array.from({ length: options.followersPerVenue }, (_, index) => {
      const account = sim.accounts.create({ venue, balances: { USDT: '100000' }, futuresBalances: { USDT: '100000' }, positionMode: 'oneway' });
      const name = `${options.prefix.toUpperCase()}_${venue.toUpperCase()}_${index}`;
      env[`${name}_KEY`] = account.apiKey;
      env[`${name}_SECRET`] = account.secret;
      if (account.passphrase !== undefined) env[`${name}_PASS`] = account.passphrase;
      apiKeys.add(account.apiKey);
      return {
        id: `${venue}-${index}`,
        exchange: venue,
        credentials: { apiKey: `${name}_KEY`, apiSecret: `${name}_SECRET`, ...(account.passphrase !== undefined && { passphrase: `${name}_PASS` }) },
        positionMode: 'oneway',
        sizing: { ratio: '0.1' },
      };
    }),
  );
  const lines: string[] = [];
  for (let index = 0; index < options.signals; index += 1) {
    const id = `${options.prefix}${index + 1}`;
    const open = (action: string, quantity: string, extra: Record<string, unknown> = {}): string =>
      JSON.stringify({ id, action, symbol: 'BTCUSDT', quantity, price: '65000', masterEquity: '100000', ...extra });
    lines.push([open('spotBuy', '0.2'), open('futuresLong', '0.3', { leverage: 5 }), open('spotBuy', '0.2'), open('futuresShort', '0.3', { leverage: 5 }), open('spotSell', '0.2')][index % 5] ?? '');
  }
  const followersPath = join(options.dir, `${options.prefix}-followers.json`);
  const signalsPath = join(options.dir, `${options.prefix}-signals.jsonl`);
  await writeFile(followersPath, JSON.stringify({ followers }, null, 2));
  await writeFile(signalsPath, `${lines.join('\n')}\n`);
  const pairs = new Map<string, string>();
  for (let index = 0; index < options.signals; index += 1) {
    for (const follower of followers) pairs.set(clientOrderIdFor(`${options.prefix}${index + 1}:${follower.id}`), `${options.prefix}${index + 1}:${follower.id}`);
  }
  const baseUrls = VENUE_NAMES.flatMap((venue) => [`--base-url-${venue}`, `${sim.url}/${venue}`]);
  return { args: ['run', '--followers', followersPath, '--signals', signalsPath, ...baseUrls], env, apiKeys, pairs };
}

export interface CliRun {
  readonly code: number | null;
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI once; `killWhen` is polled every few ms and SIGKILLs the process the first time it holds. */
export function runCopyTrader(args: readonly string[], env: Readonly<Record<string, string>>, killWhen?: () => boolean): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COPY_TRADER_CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const poll =
      killWhen === undefined
        ? undefined
        : setInterval(() => {
            if (!killed && killWhen()) {
              killed = true;
              child.kill('SIGKILL');
            }
          }, 2);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll !== undefined) clearInterval(poll);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

/** What the simulator executed for one deployment, against the pairs it was asked to place. */
export interface LedgerTally {
  readonly orders: number;
  /** Pairs with at least one executed order. */
  readonly placedPairs: number;
  /** Executed orders beyond the first of their pair, plus orders no pair asked for. */
  readonly duplicates: number;
  /** Pairs with no executed order. */
  readonly lost: number;
}

export function tallyLedger(sim: Simulator, inputs: RestartInputs): LedgerTally {
  const orders = sim.ledger.orders().filter((order) => inputs.apiKeys.has(order.apiKey));
  const perPair = new Map<string, number>();
  let strangers = 0;
  for (const order of orders) {
    const pair = inputs.pairs.get(order.clientOrderId);
    if (pair === undefined) strangers += 1;
    else perPair.set(pair, (perPair.get(pair) ?? 0) + 1);
  }
  let duplicates = strangers;
  for (const count of perPair.values()) duplicates += count - 1;
  return { orders: orders.length, placedPairs: perPair.size, duplicates, lost: inputs.pairs.size - perPair.size };
}

export interface RestartSoakOptions {
  readonly kills: number;
  readonly seed: number;
  /** Extra arguments for every run: the journal choice. */
  readonly journalArgs: readonly string[];
  /** Once the kills are spent: restart until a run ends on its own with everything placed (true), or until one ends on its own at all (false). */
  readonly untilAllPlaced: boolean;
  /** Gives up after this many runs in all. */
  readonly maxRuns: number;
}

export interface RestartSoakReport {
  readonly pairs: number;
  readonly runs: number;
  readonly kills: number;
  /** Distinct pairs executed when each kill landed. */
  readonly killedAt: readonly number[];
  readonly tally: LedgerTally;
  /** The last run's output. */
  readonly last: CliRun;
  readonly wallMs: number;
}

/**
 * Runs the copy-trader on `inputs`, SIGKILLs it `kills` times at seeded random points of its progress
 * (when the ledger's distinct pairs reach a random count: mid-signal, with orders in flight), and
 * restarts it with the same inputs until it completes; then tallies the ledger.
 */
export async function runRestartSoak(sim: Simulator, inputs: RestartInputs, options: RestartSoakOptions): Promise<RestartSoakReport> {
  const random = seededRandom(options.seed);
  const total = inputs.pairs.size;
  const cuts = Array.from({ length: options.kills }, () => Math.floor(random() * total * 0.95) + 1).sort((a, b) => a - b);
  const started = performance.now();
  const killedAt: number[] = [];
  let runs = 0;
  let last: CliRun | undefined;
  while (runs < options.maxRuns) {
    runs += 1;
    const cut = cuts[killedAt.length];
    const progress = (): number => tallyLedger(sim, inputs).placedPairs;
    // A cut already passed (two close together) kills the new process as soon as it places anything.
    const floor = progress();
    last = await runCopyTrader([...inputs.args, ...options.journalArgs], inputs.env, cut === undefined ? undefined : () => progress() >= Math.max(cut, floor + 1));
    if (last.killed) {
      killedAt.push(progress());
      continue;
    }
    if (!options.untilAllPlaced || (last.code === 0 && tallyLedger(sim, inputs).lost === 0 && /\d+ orders placed, 0 skipped, 0 failed/.test(last.stdout))) break;
  }
  if (last === undefined) throw new Error('no run');
  return { pairs: total, runs, kills: killedAt.length, killedAt, tally: tallyLedger(sim, inputs), last, wallMs: performance.now() - started };
}
