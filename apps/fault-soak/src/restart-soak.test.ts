import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openSqliteOrderJournal } from '@xport/journal-sqlite';
import { LIFTED_BUDGETS, startSimulator } from '@xport/simulator';
import type { Simulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RestartInputs, RestartSoakReport } from './restart-soak';
import { COPY_TRADER_CLI, runCopyTrader, runRestartSoak, tallyLedger, writeRestartInputs } from './restart-soak';

/** 17 followers per venue × 40 signals: 2,040 (signal, follower) pairs, each one order. */
const FOLLOWERS_PER_VENUE = 17;
const SIGNALS = 40;
const KILLS = 20;
/**
 * Without a journal every restart sends again everything before its kill point, so each kill costs a
 * whole prefix of the run: six show the duplicates as well as twenty-four would, in a quarter of the time.
 */
const BARE_KILLS = 6;
/**
 * As short as the adapters allow (two request timeouts plus the venue's 3 s visibility window), so a
 * restarted process (a new owner) soon takes over the entries its killed predecessor left pending.
 */
const RUN_ARGS = ['--request-timeout-ms', '1500', '--journal-lease-ms', '9500'];

interface ReportFile {
  readonly summary: { readonly counts: Readonly<Record<string, number>> };
  readonly signals: readonly { readonly results: readonly { readonly status: string; readonly clientOrderId: string; readonly origin?: string; readonly order?: { readonly orderId: string; readonly clientOrderId: string } }[] }[];
}

function describeSoak(title: string, report: RestartSoakReport): string {
  const rows: [string, string | number][] = [
    ['pairs (signal, follower)', report.pairs],
    ['runs', report.runs],
    ['SIGKILLs', report.kills],
    ['ledger orders', report.tally.orders],
    ['duplicates', report.tally.duplicates],
    ['lost', report.tally.lost],
    ['last run', /summary: .*\n(?: {2}of the .*\n)?/.exec(report.last.stdout)?.[0].trim().replace(/\n\s*/, '; ') ?? `exit ${String(report.last.code)}`],
    ['wall time', `${(report.wallMs / 1000).toFixed(1)} s`],
  ];
  return [title, ...rows.map(([name, value]) => `  ${name.padEnd(26)} ${value}`)].join('\n');
}

describe('copy-trader killed with SIGKILL and restarted: one order per (signal, follower)', () => {
  let sim: Simulator;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(COPY_TRADER_CLI)) throw new Error(`${COPY_TRADER_CLI} is missing: build @xport/copy-trader first (turbo's test task depends on it)`);
    sim = await startSimulator({ port: 0, seed: 11, budgets: LIFTED_BUDGETS });
    dir = await mkdtemp(join(tmpdir(), 'restart-soak-'));
  });

  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('with the journal: 20 kills, 0 duplicates, 0 lost; without it, side by side, the same inputs and kill points make duplicates', async () => {
    const journalled = await writeRestartInputs(sim, { dir, followersPerVenue: FOLLOWERS_PER_VENUE, signals: SIGNALS, prefix: 'j' });
    const bare = await writeRestartInputs(sim, { dir, followersPerVenue: FOLLOWERS_PER_VENUE, signals: SIGNALS, prefix: 'n' });
    const report = join(dir, 'j-report.json');
    const [withJournal, withoutJournal] = await Promise.all([
      runRestartSoak(sim, withReport(journalled, report), {
        kills: KILLS,
        seed: 2026,
        journalArgs: ['--journal', join(dir, 'journal.db'), ...RUN_ARGS],
        untilAllPlaced: true,
        maxRuns: KILLS + 20,
      }),
      runRestartSoak(sim, bare, { kills: BARE_KILLS, seed: 2026, journalArgs: ['--no-journal', '--request-timeout-ms', '1500'], untilAllPlaced: false, maxRuns: BARE_KILLS + 1 }),
    ]);
    // Entries claimed more than once: a killed process's claims taken over by a later one, and looked up.
    const store = openSqliteOrderJournal({ path: join(dir, 'journal.db') });
    const entries = await store.list();
    await store.close();
    const claimedAgain = entries.filter((entry) => entry.claims > 1).length;
    console.log(
      `${describeSoak('restart soak, SQLite journal', withJournal)}\n  ${'entries claimed again'.padEnd(26)} ${claimedAgain}\n${describeSoak('restart soak, --no-journal', withoutJournal)}`,
    );
    expect(entries.map((entry) => entry.state)).toEqual(Array(withJournal.pairs).fill('placed'));

    expect(withJournal.pairs).toBeGreaterThanOrEqual(2_000);
    expect(withJournal.kills).toBeGreaterThanOrEqual(20);
    expect(withJournal.tally).toEqual({ orders: withJournal.pairs, placedPairs: withJournal.pairs, duplicates: 0, lost: 0 });
    expect(withJournal.last.code).toBe(0);
    expect(withJournal.last.stderr).toBe('');

    // The last run reports every pair placed, and each order it names is the one the venue executed.
    const executed = new Map(sim.ledger.orders().map((order) => [order.clientOrderId, order.orderId]));
    const results = (JSON.parse(await readFile(report, 'utf8')) as ReportFile).signals.flatMap((signal) => signal.results);
    expect(results).toHaveLength(withJournal.pairs);
    for (const result of results) {
      expect(result.status).toBe('placed');
      expect(result.order?.clientOrderId).toBe(result.clientOrderId);
      expect(result.order?.orderId).toBe(executed.get(result.clientOrderId));
    }
    expect(results.every((result) => result.origin === 'journal' || result.origin === 'recovered' || result.origin === 'placed')).toBe(true);

    expect(withoutJournal.kills).toBe(BARE_KILLS);
    expect(withoutJournal.tally.duplicates).toBeGreaterThan(0);
  }, 600_000);

  it('two processes started at once on the same inputs and journal: each pair placed once', async () => {
    const inputs = await writeRestartInputs(sim, { dir, followersPerVenue: 5, signals: 12, prefix: 'd' });
    const args = [...inputs.args, '--journal', join(dir, 'double.db'), ...RUN_ARGS];
    const both = await Promise.all([runCopyTrader(args, inputs.env), runCopyTrader(args, inputs.env)]);
    for (const run of both) expect(run.stderr).toBe('');
    expect(tallyLedger(sim, inputs).duplicates).toBe(0);

    // A pair one process found claimed by the other is reported failed, never placed twice; a
    // third run settles whatever that left.
    const after = await runCopyTrader(args, inputs.env);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/\n {2}of the 180 placed: \d+ already placed/);
    expect(tallyLedger(sim, inputs)).toEqual({ orders: 180, placedPairs: 180, duplicates: 0, lost: 0 });
  }, 300_000);
});

function withReport(inputs: RestartInputs, path: string): RestartInputs {
  return { ...inputs, args: [...inputs.args, '--json', path] };
}
