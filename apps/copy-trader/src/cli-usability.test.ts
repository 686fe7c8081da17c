import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Simulator } from '@xport/simulator';
import { startSimulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLI, runCli } from './test-support/run-cli';

const GREEN = '\x1b[32m';

interface ReportJson {
  readonly summary: { readonly latencyMs?: { readonly p50: number; readonly p99: number; readonly max: number } };
  readonly signals: readonly { readonly wallMs: number; readonly results: readonly { followerId: string; status: string; quantity?: string; reason?: string; latencyMs?: number }[] }[];
}

describe('copy-trader CLI (built): help, version, suggestions, output', () => {
  let sim: Simulator;
  let dir: string;
  let baseUrlArgs: string[];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the build first (turbo's test task depends on it)`);
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'copy-trader-usability-'));
    baseUrlArgs = ['binance', 'bybit', 'bitget'].flatMap((venue) => [`--base-url-${venue}`, `${sim.url}/${venue}`]);
  });

  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Followers on the simulator, each funded with 20,000 USDT in every wallet, and the variables naming their keys. */
  async function followersFile(name: string, entries: readonly { id: string; venue: 'binance' | 'bybit' | 'bitget'; sizing: Record<string, string> }[]): Promise<{ path: string; env: Record<string, string> }> {
    const env: Record<string, string> = {};
    const followers = entries.map(({ id, venue, sizing }) => {
      const account = sim.accounts.create({ venue, balances: { USDT: '20000' }, futuresBalances: { USDT: '20000' } });
      const prefix = `${name}_${id}`.toUpperCase().replace(/[^A-Z0-9]/g, '_');
      env[`${prefix}_KEY`] = account.apiKey;
      env[`${prefix}_SECRET`] = account.secret;
      if (account.passphrase !== undefined) env[`${prefix}_PASS`] = account.passphrase;
      const credentials = { apiKey: `${prefix}_KEY`, apiSecret: `${prefix}_SECRET`, ...(account.passphrase !== undefined && { passphrase: `${prefix}_PASS` }) };
      return { id, exchange: venue, credentials, positionMode: 'oneway', sizing };
    });
    const path = join(dir, `${name}.json`);
    await writeFile(path, JSON.stringify({ $schema: '../schema/followers.schema.json', followers }, null, 2));
    return { path, env };
  }

  it('--help lists every command, its options and the exit codes; each command has its own help', async () => {
    const top = await runCli(['--help']);
    expect([top.code, top.stderr]).toEqual([0, '']);
    for (const command of ['demo', 'run', 'check', 'journal', 'serve', 'worker']) expect(top.stdout).toMatch(new RegExp(`\\n {2}copy-trader ${command} `));
    expect(top.stdout).toContain('[--venue-concurrency N]');
    expect(top.stdout).toMatch(/\nexit codes .*\n {2}0 {4}.*\n {2}1 {4}.*\n {2}2 {4}.*\n(.*\n)* {2}130 {2}.*\n(.*\n)* {2}141 {2}/);

    const run = await runCli(['run', '--help']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^copy-trader run: copy each signal/);
    expect(run.stdout).toContain('usage: copy-trader run --followers FILE --signals FILE [options]\n');
    expect(run.stdout).toMatch(/\n {2}--venue-concurrency N +orders \(or balance reads\) in flight per venue and market, 1 to 1000; per\n +account: 1 \(default: from the venue's request budget, 4 to 64\)\n/);
    expect(run.stdout).toMatch(/\n {2}--journal-lease-ms N .*\n.*\n.*\(default: 60000\)\n/);
    expect(run.stdout).toMatch(/\n {2}--followers FILE +the followers file .*\(required\)\n/);
    expect(run.stdout).toMatch(/\nexit codes:\n {2}0 {4}every order placed or skipped\n {2}1 {4}an order failed/);

    const [demo, check, journal, shortHelp] = await Promise.all([runCli(['demo', '--help']), runCli(['check', '--help']), runCli(['journal', '--help']), runCli(['check', '-h'])]);
    expect(demo.stdout).toMatch(/\n {2}--followers N +how many followers, 1 to 10000 \(default: 30\)\n/);
    expect(demo.stdout).not.toContain('--signals');
    expect(check.stdout).toMatch(/\n {2}--venue-concurrency N .*\n.*\(default: 8\)\n/);
    expect(check.stdout).toMatch(/\nexit codes:\n {2}0 {4}every follower answered\n {2}1 {4}a balance read failed .*\n {2}2 {4}/);
    expect(check.stdout).not.toContain('--dry-run');
    expect(journal.stdout).toMatch(/\n {2}--pending +only what recovery must resolve/);
    expect(shortHelp.stdout).toBe(check.stdout);
    for (const help of [demo, check, journal]) expect([help.code, help.stderr]).toEqual([0, '']);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('answers unknown options and typos in its own words, with a suggestion, exit 2', async () => {
    const cases: [string[], string][] = [
      [['run', '--folowers', 'f.json'], 'unknown option --folowers for run; did you mean --followers? (copy-trader run --help lists the options)'],
      [['run', '--dryrun'], 'unknown option --dryrun for run; did you mean --dry-run? (copy-trader run --help lists the options)'],
      [['demo', '--josn', 'r.json'], 'unknown option --josn for demo; did you mean --json? (copy-trader demo --help lists the options)'],
      [['demo', '--signals', 's.jsonl'], '--signals is not an option of demo (it is one of run, journal or serve) (copy-trader demo --help lists the options)'],
      [['check', '--frobnicate'], 'unknown option --frobnicate for check (copy-trader check --help lists the options)'],
      [['demo', '--json'], '--json needs a value (FILE|-) (copy-trader demo --help lists the options)'],
      [['demo', '--json', '--verbose'], '--json needs a value (FILE|-) (copy-trader demo --help lists the options)'],
      [['run', '--dry-run=yes'], '--dry-run takes no value (copy-trader run --help lists the options)'],
      [['rnu'], 'unknown command "rnu": expected demo, run, check, journal, serve or worker; did you mean run?'],
      [['run', '--signals', 's.jsonl'], '--followers is required (copy-trader --help lists the options)'],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args)));
    expect(runs.map((run) => [run.code, run.stdout, run.stderr])).toEqual(cases.map(([, message]) => [2, '', `copy-trader: usage: ${message}\n`]));

    // The value given to a misspelt option is never echoed: it may be a credential.
    const secret = await runCli(['check', '--api-secret=Tr4de1ngS3cretValue']);
    expect([secret.code, secret.stderr]).toEqual([2, 'copy-trader: usage: unknown option --api-secret for check (copy-trader check --help lists the options)\n']);
  });

  it('colours the status on a terminal only, honouring NO_COLOR and FORCE_COLOR', async () => {
    const file = await followersFile('colour', [{ id: 'c1', venue: 'binance', sizing: { ratio: '0.1' } }]);
    const check = (env: Record<string, string>): Promise<string> => runCli(['check', '--followers', file.path, ...baseUrlArgs], { ...file.env, ...env }).then((run) => run.stdout);
    const [piped, forced, noColour, forcedOff, both] = await Promise.all([
      check({}),
      check({ FORCE_COLOR: '1' }),
      check({ NO_COLOR: '1' }),
      check({ FORCE_COLOR: '0' }),
      check({ FORCE_COLOR: '1', NO_COLOR: '1' }),
    ]);
    expect(piped).toMatch(/c1 +binance +ok +USDT 20000 free/);
    expect(forced).toContain(`${GREEN}ok`);
    expect(forced.replaceAll(GREEN, '').replaceAll('\x1b[39m', '')).toBe(piped);
    for (const plain of [piped, noColour, forcedOff]) expect(plain).not.toContain('\x1b[');
    // An explicit FORCE_COLOR wins over NO_COLOR, as in Node's own tty.getColorDepth.
    expect(both).toContain(`${GREEN}ok`);
  });

  it('rounds decimals to the step, cuts long notes to the width (full under --verbose and in JSON), and --json - writes the report to standard output', async () => {
    // 2 USDT of BTC at 65,000 is 0.0000307692307…: below Bybit's minimum of 0.000048.
    const file = await followersFile('small', [{ id: 'tiny', venue: 'bybit', sizing: { fixedNotional: '2' } }]);
    const signals = join(dir, 'small.jsonl');
    await writeFile(signals, JSON.stringify({ id: 'sm1', action: 'spotBuy', symbol: 'BTCUSDT', quantity: '0.2', price: '65000', masterEquity: '100000' }));
    const args = ['run', '--followers', file.path, '--signals', signals, '--dry-run', ...baseUrlArgs];
    const note = 'quantity 0.00003 of BTC/USDT is below the minimum 0.000048 (step 0.000001)';

    const [plain, verbose, json, coloured] = await Promise.all([
      runCli(args, file.env),
      runCli([...args, '--verbose'], file.env),
      runCli([...args, '--json', '-'], file.env),
      runCli(args, { ...file.env, FORCE_COLOR: '1' }),
    ]);
    expect(plain.code).toBe(0);
    // The row fits 100 columns but the note keeps at least 50 characters.
    expect(plain.stdout).toMatch(new RegExp(`\\ntiny +bybit +skipped +- +- +- +${escape(note.slice(0, 49))}…\\n`));
    expect(plain.stdout).not.toContain('0.0000307');
    expect(plain.stdout).toMatch(/\n-+( {2}-+){5} {2}-{50}\n/);
    expect(coloured.stdout).toContain('\x1b[33mskipped');
    expect(verbose.stdout).toMatch(new RegExp(`\\ntiny +bybit +skipped +- +- +- +${escape(note)}\\n`));

    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as ReportJson;
    expect(report.signals[0]?.results[0]).toMatchObject({ followerId: 'tiny', status: 'skipped', reason: note });
    // The tables go to standard error when the JSON owns standard output.
    expect(json.stderr).toContain('1 signals -> 1 followers (dry run: nothing is sent)');
    expect(json.stderr).toMatch(/\nsummary: 1 signals, 0 orders placed, 1 skipped, 0 failed\n/);
  });

  it('a dry run sizes every follower as the real run then does, equity followers included; the JSON report has whole-millisecond latencies', async () => {
    // Bybit's unified wallet pays for the spot buy before the futures signal is sized: the equity both runs size from is the one before the first order.
    const file = await followersFile('same', [
      { id: 'eq-bybit', venue: 'bybit', sizing: { equity: '1' } },
      { id: 'eq-binance', venue: 'binance', sizing: { equity: '0.5' } },
      { id: 'ratio-bitget', venue: 'bitget', sizing: { ratio: '0.1' } },
    ]);
    const signals = join(dir, 'same.jsonl');
    const open = (id: string, action: string, quantity: string, extra: Record<string, unknown> = {}): string =>
      JSON.stringify({ id, action, symbol: 'BTCUSDT', quantity, price: '65000', masterEquity: '100000', ...extra });
    await writeFile(signals, [open('same1', 'spotBuy', '0.2'), open('same2', 'futuresLong', '0.3', { leverage: 5 }), open('same3', 'spotBuy', '0.1')].join('\n'));
    const args = ['run', '--followers', file.path, '--signals', signals, '--no-journal', ...baseUrlArgs, '--json', '-'];
    const quantities = (report: ReportJson): string[][] => report.signals.flatMap((signal, index) => signal.results.map((result) => [`${index}:${result.followerId}`, result.quantity ?? result.status]).sort());

    const dry = await runCli([...args, '--dry-run'], file.env);
    expect([dry.code, dry.stderr.includes('9 dry-run (nothing sent)')]).toEqual([0, true]);
    const real = await runCli(args, file.env);
    expect(real.code).toBe(0);
    const dryReport = JSON.parse(dry.stdout) as ReportJson;
    const realReport = JSON.parse(real.stdout) as ReportJson;
    expect(quantities(realReport)).toEqual(quantities(dryReport));
    expect(realReport.signals.flatMap((signal) => signal.results.map((result) => result.status))).toEqual(Array(9).fill('placed'));
    // 0.3 BTC × 40,000 USDT (Bybit's one wallet holds both fundings) ÷ 100,000 on the futures signal.
    expect(quantities(realReport)).toContainEqual(['1:eq-bybit', '0.12']);

    const latencies = [...realReport.signals.flatMap((signal) => [signal.wallMs, ...signal.results.map((result) => result.latencyMs)]), ...Object.values(realReport.summary.latencyMs ?? {})];
    expect(latencies.length).toBeGreaterThan(9);
    for (const latency of latencies) expect(Number.isInteger(latency)).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
