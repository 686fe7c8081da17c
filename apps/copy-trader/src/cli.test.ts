import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Simulator } from '@xport/simulator';
import { startSimulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI; `killWhen` kills it (SIGKILL, like a crash) as soon as stdout matches. */
function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}, killWhen?: RegExp): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killWhen?.test(stdout) === true) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('copy-trader CLI (built)', () => {
  let sim: Simulator;
  let dir: string;
  let env: Record<string, string>;
  let keys: { venue: 'binance' | 'bybit' | 'bitget'; apiKey: string }[];
  let baseUrlArgs: string[];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the build first (turbo's test task depends on it)`);
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'copy-trader-cli-'));
    env = {};
    keys = [];
    const followers = (['binance', 'bybit', 'bitget'] as const).map((venue, index) => {
      const account = sim.accounts.create({ venue, balances: { USDT: '20000' }, futuresBalances: { USDT: '20000' }, positionMode: index === 1 ? 'hedge' : 'oneway' });
      const name = `CT_${venue.toUpperCase()}`;
      env[`${name}_KEY`] = account.apiKey;
      env[`${name}_SECRET`] = account.secret;
      if (account.passphrase !== undefined) env[`${name}_PASS`] = account.passphrase;
      keys.push({ venue, apiKey: account.apiKey });
      return {
        id: `${venue}-1`,
        exchange: venue,
        credentials: { apiKey: `${name}_KEY`, apiSecret: `${name}_SECRET`, ...(account.passphrase !== undefined && { passphrase: `${name}_PASS` }) },
        positionMode: index === 1 ? 'hedge' : 'oneway',
        sizing: { ratio: '0.1' },
        maxNotional: '5000',
      };
    });
    await writeFile(join(dir, 'followers.json'), JSON.stringify({ followers }, null, 2));
    const signal = (id: string, action: string, quantity: string, extra: Record<string, unknown> = {}): string =>
      JSON.stringify({ id, action, symbol: 'BTCUSDT', quantity, price: '65000', masterEquity: '100000', ...extra });
    await writeFile(
      join(dir, 'signals.jsonl'),
      [
        signal('r1', 'spotBuy', '0.2'),
        signal('r2', 'futuresLong', '0.3', { leverage: 5 }),
        signal('r3', 'spotSell', '0.1'),
        JSON.stringify({ id: 'r4', action: 'closeLong', symbol: 'BTCUSDT' }),
        signal('r5', 'futuresShort', '0.2', { leverage: 3 }),
      ].join('\n'),
    );
    baseUrlArgs = keys.flatMap(({ venue }) => [`--base-url-${venue}`, `${sim.url}/${venue}`]);
  });

  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ledger = (): string[] => keys.flatMap(({ venue, apiKey }) => sim.ledger.orders({ venue, apiKey }).map((order) => `${venue}:${order.clientOrderId}`));

  it('demo: replays the master session to its summary, plain lines when piped, exit 0, --json report', async () => {
    const report = join(dir, 'demo.json');
    const run = await runCli(['demo', '--followers', '6', '--json', report]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^xport copy-trader demo: simulator at http:\/\/127\.0\.0\.1:\d+ \(in-process, no keys, no network\)\n6 followers: 2 binance, 2 bybit, 2 bitget;/);
    expect(run.stdout).toContain('[3/10] demo-03 futuresLong BTCUSDT 0.5 @ 65200 10x -> 6 followers\n');
    expect(run.stdout).toMatch(/\nfollower {2}venue {4}status {9}quantity/);
    expect(run.stdout).toMatch(/\nsummary: 10 signals, \d+ orders placed, \d+ skipped, 0 failed\n/);
    expect(run.stdout).toMatch(/\nlatency per order: p50 \d+ ms, p99 \d+ ms, max \d+ ms\n/);
    expect(run.stdout).not.toContain('\r');
    const json = JSON.parse(await readFile(report, 'utf8')) as { summary: { signals: number; counts: { failed: number; placed: number } }; signals: { results: { order?: { status: string } }[] }[] };
    expect(json.summary.signals).toBe(10);
    expect(json.summary.counts.failed).toBe(0);
    expect(json.signals[0]?.results[0]?.order?.status).toBe('filled');
  });

  it('check: validates the file and reads each balance; a wrong secret or an unreachable venue is one line and exit 1', async () => {
    const ok = await runCli(['check', '--followers', join(dir, 'followers.json'), ...baseUrlArgs], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('3 followers, file valid');
    expect(ok.stdout).toMatch(/binance-1 +binance +ok +USDT 20000 free/);
    expect(ok.stdout).toContain('all 3 followers can trade');

    const bad = await runCli(['check', '--followers', join(dir, 'followers.json'), ...baseUrlArgs, '--base-url-bybit', 'http://127.0.0.1:9'], { ...env, CT_BINANCE_SECRET: 'wrong' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/binance-1 +binance +FAILED +AuthenticationError: /);
    expect(bad.stdout).toMatch(/bybit-1 +bybit +FAILED +NetworkError: /);
    expect(bad.stdout).toMatch(/bitget-1 +bitget +ok/);
    expect(bad.stdout).toContain('2 of 3 followers failed the balance read');
    expect(bad.stdout + bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('run --dry-run sizes every order and sends nothing', async () => {
    const run = await runCli(['run', '--followers', join(dir, 'followers.json'), '--signals', join(dir, 'signals.jsonl'), '--dry-run', ...baseUrlArgs], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('5 signals -> 3 followers (dry run: nothing is sent)');
    expect(run.stdout).toMatch(/binance-1 +binance +dry-run +0\.03 +- +- +would send at 5x/);
    expect(ledger()).toEqual([]);
  });

  it('run: killed mid-way and run again, places exactly one order per (signal, follower)', async () => {
    const args = ['run', '--followers', join(dir, 'followers.json'), '--signals', join(dir, 'signals.jsonl'), ...baseUrlArgs];
    const killed = await runCli(args, env, /\[3\/5\] r3 spotSell/);
    expect(killed.code).toBeNull();
    const afterKill = ledger();
    expect(afterKill.length).toBeGreaterThanOrEqual(6);
    expect(afterKill.length).toBeLessThan(15);

    const resumed = await runCli(args, env);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/\nsummary: 5 signals, 15 orders placed, 0 skipped, 0 failed\n/);
    const final = ledger();
    expect(final).toHaveLength(15);
    expect(new Set(final).size).toBe(15);
    expect(final).toEqual(expect.arrayContaining(afterKill));

    // A third run of the same file finds every order already placed and adds none.
    const again = await runCli(args, env);
    expect(again.code).toBe(0);
    expect(ledger()).toHaveLength(15);
  });

  it('says what to fix in one line, exit 2, no stack trace', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ followers: [{ id: 'a', exchange: 'binance', credentials: { apiKey: 'K', apiSecret: 'S' }, sizing: { ratio: 'abc' } }] }));
    const badFile = await runCli(['check', '--followers', join(dir, 'bad.json')]);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr).toBe(`copy-trader: ${join(dir, 'bad.json')}: followers[0].sizing.ratio: expected a positive decimal string, got "abc"\n`);

    const missingEnv = await runCli(['check', '--followers', join(dir, 'followers.json')], { CT_BINANCE_KEY: 'k' });
    expect(missingEnv.code).toBe(2);
    expect(missingEnv.stderr).toMatch(/^copy-trader: credentials: 6 problems\n {2}followers\[0\] \(binance-1\): environment variable CT_BINANCE_SECRET is not set\n/);

    const missingFile = await runCli(['run', '--followers', join(dir, 'nope.json'), '--signals', join(dir, 'signals.jsonl')]);
    expect(missingFile.stderr).toBe(`copy-trader: ${join(dir, 'nope.json')}: cannot read the followers file: no such file\n`);
    expect(missingFile.code).toBe(2);

    const unknown = await runCli(['launch']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'copy-trader: usage: unknown command "launch": expected demo, run or check\n']);
    const badCount = await runCli(['demo', '--followers', 'many']);
    expect([badCount.code, badCount.stderr]).toEqual([2, 'copy-trader: usage: --followers: expected a number of followers from 1 to 10000, got "many" (copy-trader --help lists the options)\n']);
  });
});
