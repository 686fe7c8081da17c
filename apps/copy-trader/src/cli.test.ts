import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Decimal, journalOrderRequest } from '@xport/core';
import { openSqliteOrderJournal } from '@xport/journal-sqlite';
import type { Simulator } from '@xport/simulator';
import { startSimulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { clientOrderIdFor } from './client-order-id';
import type { CliRun } from './test-support/run-cli';
import { CLI, runCli } from './test-support/run-cli';

type SimVenue = 'binance' | 'bybit' | 'bitget';

interface FollowerFile {
  readonly path: string;
  readonly env: Record<string, string>;
  readonly keys: { venue: SimVenue; apiKey: string }[];
}

/** One funded simulator account per venue (the second in hedge mode) and a followers file naming their variables. */
async function writeFollowers(sim: Simulator, path: string, prefix: string): Promise<FollowerFile> {
  const env: Record<string, string> = {};
  const keys: FollowerFile['keys'] = [];
  const followers = (['binance', 'bybit', 'bitget'] as const).map((venue, index) => {
    const account = sim.accounts.create({ venue, balances: { USDT: '20000' }, futuresBalances: { USDT: '20000' }, positionMode: index === 1 ? 'hedge' : 'oneway' });
    const name = `${prefix}_${venue.toUpperCase()}`;
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
  await writeFile(path, JSON.stringify({ followers }, null, 2));
  return { path, env, keys };
}

/** Five signals, one of each kind, every one placing an order for each follower of `writeFollowers`. */
function signalsText(prefix: string): string {
  const signal = (id: string, action: string, quantity: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ id: `${prefix}${id}`, action, symbol: 'BTCUSDT', quantity, price: '65000', masterEquity: '100000', ...extra });
  return [
    signal('1', 'spotBuy', '0.2'),
    signal('2', 'futuresLong', '0.3', { leverage: 5 }),
    signal('3', 'spotSell', '0.1'),
    JSON.stringify({ id: `${prefix}4`, action: 'closeLong', symbol: 'BTCUSDT' }),
    signal('5', 'futuresShort', '0.2', { leverage: 3 }),
  ].join('\n');
}

describe('copy-trader CLI (built)', () => {
  let sim: Simulator;
  let dir: string;
  let env: Record<string, string>;
  let keys: FollowerFile['keys'];
  let baseUrlArgs: string[];

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the build first (turbo's test task depends on it)`);
    sim = await startSimulator({ port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'copy-trader-cli-'));
    ({ env, keys } = await writeFollowers(sim, join(dir, 'followers.json'), 'CT'));
    await writeFile(join(dir, 'signals.jsonl'), signalsText('r'));
    baseUrlArgs = keys.flatMap(({ venue }) => [`--base-url-${venue}`, `${sim.url}/${venue}`]);
  });

  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ledgerOf = (accounts: FollowerFile['keys']): string[] =>
    accounts.flatMap(({ venue, apiKey }) => sim.ledger.orders({ venue, apiKey }).map((order) => `${venue}:${order.clientOrderId}`));
  const ledger = (): string[] => ledgerOf(keys);

  it('demo: replays the master session to its summary, plain lines when piped, exit 0, --json report', async () => {
    const report = join(dir, 'demo.json');
    const run = await runCli(['demo', '--followers', '6', '--json', report]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^xport copy-trader demo: simulator at http:\/\/127\.0\.0\.1:\d+ \(in-process, no keys, no network\)\n6 followers: 2 binance, 2 bybit, 2 bitget;/);
    expect(run.stdout).toContain('[3/11] demo-03 futuresLong BTCUSDT 0.5 @ 65200 10x -> 6 followers\n');
    expect(run.stdout).toMatch(/\nfollower {2}venue {4}status {9}quantity/);
    expect(run.stdout).toMatch(/\nsummary: 11 signals, \d+ orders placed, \d+ skipped, 0 failed\n/);
    expect(run.stdout).toMatch(/\nlatency per order: p50 \d+ ms, p99 \d+ ms, max \d+ ms\n/);
    expect(run.stdout).not.toContain('\r');
    const json = JSON.parse(await readFile(report, 'utf8')) as { summary: { signals: number; counts: { failed: number; placed: number } }; signals: { results: { order?: { status: string } }[] }[] };
    expect(json.summary.signals).toBe(11);
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
    const killed = await runCli(args, env, { killWhen: /\[3\/5\] r3 spotSell/ });
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
    expect([unknown.code, unknown.stderr]).toEqual([2, 'copy-trader: usage: unknown command "launch": expected demo, run, check, journal, serve or worker\n']);
    const badCount = await runCli(['demo', '--followers', 'many']);
    expect([badCount.code, badCount.stderr]).toEqual([2, 'copy-trader: usage: --followers: expected a number of followers from 1 to 10000, got "many" (copy-trader --help lists the options)\n']);
  });
  it('never prints a credential pasted where its variable name belongs: says a value was given, exit 2', async () => {
    const values = {
      binanceKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
      binanceSecret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
      bitgetKey: 'bg_0f3a9c6e1b2d4f5a6c7e8d9b0a1c2e3f',
      bitgetSecret: '4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f',
      bitgetPassphrase: 'Tr4de!ng pass',
      bybitKey: 'pTrFQ5jOp4Yy0t8j8e',
    };
    const follower = (id: string, exchange: string, credentials: unknown): Record<string, unknown> => ({ id, exchange, credentials, sizing: { ratio: '1' } });
    // Values that cannot be variable names are refused while the file is read...
    await writeFile(
      join(dir, 'pasted.json'),
      JSON.stringify({
        followers: [
          follower('a', 'binance', { apiKey: 'A_KEY', apiSecret: `${values.binanceSecret}==` }),
          follower('b', 'bitget', { apiKey: 'B_KEY', apiSecret: values.bitgetSecret, passphrase: values.bitgetPassphrase }),
          follower('c', 'bybit', values.bybitKey),
        ],
      }),
    );
    // ...values that happen to be valid names are caught when no variable of that name is set.
    await writeFile(
      join(dir, 'pasted-names.json'),
      JSON.stringify({
        followers: [
          follower('a', 'binance', { apiKey: values.binanceKey, apiSecret: 'A_SECRET' }),
          follower('b', 'bitget', { apiKey: values.bitgetKey, apiSecret: 'B_SECRET', passphrase: 'B_PASS' }),
          follower('c', 'bybit', { apiKey: values.bybitKey, apiSecret: 'C_SECRET' }),
        ],
      }),
    );
    // ...and a value pasted without quotes is a syntax error that quotes nothing.
    await writeFile(join(dir, 'pasted-unquoted.json'), `{"followers":[{"id":"a","exchange":"binance","credentials":{"apiKey":${values.binanceKey},"apiSecret":"A"}}]}`);
    const env = { A_SECRET: 'set', B_SECRET: 'set', B_PASS: 'set', C_SECRET: 'set' };
    const runs = await Promise.all(['pasted.json', 'pasted-names.json', 'pasted-unquoted.json'].map((file) => runCli(['check', '--followers', join(dir, file)], env)));
    const hint = 'the file holds the names of environment variables: put the credential itself in a variable and give its name here';
    expect(runs.map((run) => [run.code, run.stdout, run.stderr])).toEqual([
      [
        2,
        '',
        `copy-trader: ${join(dir, 'pasted.json')}: 4 problems\n` +
          `  followers[0].credentials.apiSecret: expected the name of an environment variable (letters, digits, _), got a value of 66 characters (not shown); ${hint}\n` +
          `  followers[1].credentials.apiSecret: expected the name of an environment variable (letters, digits, _), got a value of 64 characters (not shown); ${hint}\n` +
          `  followers[1].credentials.passphrase: expected the name of an environment variable (letters, digits, _): bitget keys come with a passphrase, got a value of 13 characters (not shown); ${hint}\n` +
          `  followers[2].credentials: expected an object naming environment variables (apiKey, apiSecret, and passphrase for bitget), got a value of 18 characters (not shown); ${hint}\n`,
      ],
      [
        2,
        `${join(dir, 'pasted-names.json')}: 3 followers, file valid\n`,
        'copy-trader: credentials: 3 problems\n' +
          `  followers[0] (a): credentials.apiKey: expected the name of an environment variable, got what looks like a value (64 characters, not shown) and no variable of that name is set; ${hint}\n` +
          `  followers[1] (b): credentials.apiKey: expected the name of an environment variable, got what looks like a value (35 characters, not shown) and no variable of that name is set; ${hint}\n` +
          `  followers[2] (c): credentials.apiKey: expected the name of an environment variable, got what looks like a value (18 characters, not shown) and no variable of that name is set; ${hint}\n`,
      ],
      [
        2,
        '',
        `copy-trader: ${join(dir, 'pasted-unquoted.json')}: not valid JSON at line 1, column 70: expected a value (a string in double quotes, a number, an object, an array, true, false or null), found unquoted text\n`,
      ],
    ]);
    const printed = runs.map((run) => run.stdout + run.stderr).join('');
    for (const value of Object.values(values)) expect(printed).not.toContain(value.slice(0, 6));
  });

  it('check never prints a signature or a base URL password, from the adapter or from ccxt', async () => {
    const binance = keys.find((key) => key.venue === 'binance');
    if (binance === undefined) throw new Error('no binance account');
    // A connection dropped on the signed balance read: ccxt's message carries the whole signed URL.
    const rule = sim.faults.add({ kind: 'reset', exchange: 'binance', path: '/api/v3/account', apiKey: binance.apiKey });
    try {
      const run = await runCli(['check', '--followers', join(dir, 'followers.json'), ...baseUrlArgs, '--base-url-bybit', 'http://proxy-user:hunter2-proxy@127.0.0.1:9'], env);
      expect(run.code).toBe(1);
      // Whether the adapter keeps the URL in its message is its own business: the CLI must print no signature either way.
      expect(run.stdout).toMatch(/binance-1 +binance +FAILED +NetworkError: /);
      expect(run.stdout).toMatch(/bybit-1 +bybit +FAILED +NetworkError: /);
      expect(run.stdout).toMatch(/bitget-1 +bitget +ok/);
      const printed = run.stdout + run.stderr;
      expect(printed).not.toMatch(/signature=(?!\[REDACTED\])/);
      expect(printed).not.toContain('hunter2');
      for (const value of Object.values(env)) expect(printed).not.toContain(value);
    } finally {
      sim.faults.remove(rule.id);
    }
  });

  it('refuses an unparseable base URL in one line, exit 2, before reading any file', async () => {
    const runs = await Promise.all(
      ['http://[::1', 'http://proxy-user:hunter2@[::1', 'ftp://127.0.0.1/binance', 'http://127.0.0.1:8899/binance?x=1'].map((url) =>
        runCli(['check', '--followers', join(dir, 'nope.json'), '--base-url-binance', url]),
      ),
    );
    const usage = (got: string, why = ''): string => `copy-trader: usage: --base-url-binance: expected an http:// or https:// URL${why}, got ${got} (copy-trader --help lists the options)\n`;
    expect(runs.map((run) => [run.code, run.stdout, run.stderr])).toEqual([
      [2, '', usage('"http://[::1"')],
      [2, '', usage('"http://[REDACTED]@[::1"')],
      [2, '', usage('"ftp://127.0.0.1/binance"')],
      [2, '', usage('"http://127.0.0.1:8899/binance?x=1"', ' without a query or fragment')],
    ]);
  });

  it('refuses a followers or signals file above 16 MiB (a 600 MB file, /dev/zero) without reading it whole, exit 2', async () => {
    const huge = join(dir, 'huge.json');
    // Sparse: 600 MB long, no disk used, and only the first 16 MiB + 1 byte are ever read.
    const handle = await open(huge, 'w');
    await handle.truncate(600 * 1024 * 1024);
    await handle.close();
    const followers = await runCli(['run', '--followers', huge, '--signals', join(dir, 'signals.jsonl')]);
    expect([followers.code, followers.stdout, followers.stderr]).toEqual([2, '', `copy-trader: ${huge}: cannot read the followers file: larger than 16 MiB, the limit for an input file\n`]);
    if (existsSync('/dev/zero')) {
      const signals = await runCli(['run', '--followers', join(dir, 'followers.json'), '--signals', '/dev/zero']);
      expect([signals.code, signals.stdout, signals.stderr]).toEqual([2, '', 'copy-trader: /dev/zero: cannot read the signals file: larger than 16 MiB, the limit for an input file\n']);
    }
  });

  it('accepts files that start with a UTF-8 byte-order mark', async () => {
    const bom = '\uFEFF';
    await writeFile(join(dir, 'bom-followers.json'), bom + (await readFile(join(dir, 'followers.json'), 'utf8')));
    await writeFile(join(dir, 'bom-signals.jsonl'), bom + signalsText('bom'));
    const run = await runCli(['run', '--followers', join(dir, 'bom-followers.json'), '--signals', join(dir, 'bom-signals.jsonl'), '--dry-run', ...baseUrlArgs], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('5 signals -> 3 followers (dry run: nothing is sent)');
    expect(run.stdout).toMatch(/\nsummary: 5 signals, 0 orders placed, 0 skipped, 0 failed, 15 dry-run \(nothing sent\)\n/);
  });

  it('demo | head -3: exits quietly when the reader closes the pipe (141, as for SIGPIPE; no stack)', async () => {
    const run = await runCli(['demo'], {}, { closeAfterLines: 3 });
    expect(run.stdout).toMatch(/^xport copy-trader demo: simulator at .*\n30 followers: .*\nmaster session: 11 signals\n$/);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(141);
  });

  it('run | head: a closed output stops the run between signals, never inside one; a re-run completes it', async () => {
    const piped = await writeFollowers(sim, join(dir, 'piped-followers.json'), 'PIPED');
    await writeFile(join(dir, 'piped-signals.jsonl'), signalsText('p'));
    const args = ['run', '--followers', piped.path, '--signals', join(dir, 'piped-signals.jsonl'), ...baseUrlArgs];
    const stopped = await runCli(args, piped.env, { closeAfterLines: 3 });
    expect(stopped.stdout).toBe('5 signals -> 3 followers\n\n[1/5] p1 spotBuy BTCUSDT 0.2 @ 65000 -> 3 followers\n');
    expect(stopped.stderr).toBe('');
    expect(stopped.code).toBe(141);
    // Every signal that started ran to its end for all three followers: nothing aborted mid-order.
    const placed = ledgerOf(piped.keys);
    expect(placed.length % 3).toBe(0);
    expect(placed.length).toBeGreaterThanOrEqual(3);
    expect(placed.length).toBeLessThan(15);

    const resumed = await runCli(args, piped.env);
    expect(resumed.code).toBe(0);
    expect(ledgerOf(piped.keys)).toHaveLength(15);
  });

  describe('the order journal', () => {
    const oneSignal = (id: string, action: string): string => JSON.stringify({ id, action, symbol: 'BTCUSDT', quantity: '0.2', price: '65000', masterEquity: '100000' });

    it('a re-run answers from the journal ("already placed", no request); a signal id reused for another order is a conflict, nothing sent, exit 1', async () => {
      const day = await writeFollowers(sim, join(dir, 'day-followers.json'), 'DAY');
      await writeFile(join(dir, 'day1.jsonl'), oneSignal('s1', 'spotBuy'));
      await writeFile(join(dir, 'day2.jsonl'), oneSignal('s1', 'spotSell'));
      const run = (file: string): Promise<CliRun> => runCli(['run', '--followers', day.path, '--signals', join(dir, file), ...baseUrlArgs], day.env);

      const first = await run('day1.jsonl');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`journal: ${join(dir, 'copy-trader-journal.db')} (SQLite)\n`);
      const bought = ledgerOf(day.keys);
      expect(bought).toHaveLength(3);

      const requests = sim.requests().length;
      const again = await run('day1.jsonl');
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/binance-1 +binance +already placed\/filled +0\.02 +\S+ +\d+ ms +in the journal: no request sent/);
      expect(again.stdout).toContain('\nsummary: 1 signals, 3 orders placed, 0 skipped, 0 failed\n  of the 3 placed: 3 already placed (in the journal, no request sent), 0 recovered');
      // Sizing is skipped too: not one of these accounts' requests (balance, order) reached the venue.
      expect(sim.requests().slice(requests).filter((request) => day.keys.some((key) => request.apiKey === key.apiKey))).toEqual([]);

      const reused = await run('day2.jsonl');
      expect(reused.code).toBe(1);
      expect(reused.stdout).toMatch(/\n {2}failed s1 binance-1 \(binance\): IdempotencyConflictError: binance: client order id x[0-9a-f]{31} \(account binance-1\) was recorded for executeSpotBuy 0\.02 BTC\/USDT .*Nothing was sent/);
      expect(reused.stdout).toMatch(/summary: 1 signals, 0 orders placed, 0 skipped, 3 failed\n/);
      expect(ledgerOf(day.keys)).toEqual(bought);
      expect(sim.ledger.orders().filter((order) => day.keys.some((key) => key.apiKey === order.apiKey)).map((order) => order.side)).toEqual(['buy', 'buy', 'buy']);
    });

    it('an entry a killed run left pending is looked up, reported "recovered" with the recorded quantity, and never sent again', async () => {
      const crash = await writeFollowers(sim, join(dir, 'crash-followers.json'), 'CRASH');
      await writeFile(join(dir, 'crash.jsonl'), oneSignal('k1', 'spotBuy'));
      const journal = join(dir, 'crash.db');
      const args = ['run', '--followers', crash.path, '--signals', join(dir, 'crash.jsonl'), ...baseUrlArgs];
      // What a process killed between sending and recording leaves: the orders on the venue...
      expect((await runCli([...args, '--no-journal'], crash.env)).code).toBe(0);
      expect(ledgerOf(crash.keys)).toHaveLength(3);
      // ...and its claims pending in the journal, under an owner whose lease has run out.
      const store = openSqliteOrderJournal({ path: journal });
      for (const venue of ['binance', 'bybit', 'bitget']) {
        const key = { exchange: venue, account: `${venue}-1`, clientOrderId: clientOrderIdFor(`k1:${venue}-1`) };
        const claim = await store.begin({ key, request: journalOrderRequest({ operation: 'executeSpotBuy', symbol: 'BTCUSDT', quantity: new Decimal('0.02') }) }, { owner: 'killed:1:0', leaseMs: 1 });
        expect(claim.kind).toBe('claimed');
      }
      await store.close();

      const resumed = await runCli([...args, '--journal', journal], crash.env);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/bybit-1 +bybit +recovered\/filled +0\.02 .*found on the venue by its client order id/);
      expect(resumed.stdout).toContain('of the 3 placed: 0 already placed (in the journal, no request sent), 3 recovered');
      expect(ledgerOf(crash.keys)).toHaveLength(3);

      const pending = await runCli(['journal', '--journal', journal, '--pending']);
      expect([pending.code, pending.stderr]).toEqual([0, '']);
      expect(pending.stdout).toContain('0 entries to resolve (pending or unknown)\n');
      const listed = await runCli(['journal', '--journal', journal]);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('3 entries: 3 placed\n');
      expect(listed.stdout).toMatch(/\ncreated +venue +account +client order id +state +order +outcome\n/);
      expect(listed.stdout).toMatch(/ bitget +bitget-1 +x[0-9a-f]{31} +placed +executeSpotBuy 0\.02 BTC\/USDT \(spot buy\) +order \S+ filled 0\.02/);
      const json = await runCli(['journal', '--journal', journal, '--json', '-']);
      const entries = JSON.parse(json.stdout) as { key: { account: string }; state: string }[];
      // Listed in the order the entries were claimed, which the three venues' concurrent fan-out
      // does not fix: compare them by account.
      expect(entries.map((entry) => [entry.key.account, entry.state]).sort()).toEqual([
        ['binance-1', 'placed'],
        ['bitget-1', 'placed'],
        ['bybit-1', 'placed'],
      ]);
      const missing = await runCli(['journal', '--journal', join(dir, 'none.db')]);
      expect([missing.code, missing.stderr]).toEqual([2, `copy-trader: journal: ${join(dir, 'none.db')}: no such journal file\n`]);
    });

    it('--no-journal runs without one and says so; --journal postgres://… keeps it in PostgreSQL', async () => {
      const bare = await writeFollowers(sim, join(dir, 'bare-followers.json'), 'BARE');
      await mkdir(join(dir, 'bare'));
      await writeFile(join(dir, 'bare', 'signals.jsonl'), oneSignal('b1', 'spotBuy'));
      const run = await runCli(['run', '--followers', bare.path, '--signals', join(dir, 'bare', 'signals.jsonl'), '--no-journal', ...baseUrlArgs], bare.env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('journal: none (--no-journal: exactly-once within this process only)\n');
      expect(existsSync(join(dir, 'bare', 'copy-trader-journal.db'))).toBe(false);

      const url = process.env.XPORT_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';
      const pg = await writeFollowers(sim, join(dir, 'pg-followers.json'), 'PG');
      // Signal ids of their own: the table outlives this run.
      const id = `pg${Date.now()}`;
      await writeFile(join(dir, 'pg.jsonl'), oneSignal(id, 'futuresLong').replace('}', ',"leverage":2}'));
      const pgArgs = ['run', '--followers', pg.path, '--signals', join(dir, 'pg.jsonl'), '--journal', url, ...baseUrlArgs];
      const first = await runCli(pgArgs, pg.env);
      expect([first.code, first.stderr]).toEqual([0, '']);
      expect(first.stdout).toMatch(/\njournal: postgres:\/\/.*\(PostgreSQL\)\n/);
      const again = await runCli(pgArgs, pg.env);
      expect(again.stdout).toContain('of the 3 placed: 3 already placed');
      expect(ledgerOf(pg.keys)).toHaveLength(3);
    });

    it('refuses --journal with --no-journal, and a lease out of range, in one line, exit 2', async () => {
      const both = await runCli(['run', '--followers', 'f.json', '--signals', 's.jsonl', '--journal', 'j.db', '--no-journal']);
      expect([both.code, both.stderr]).toEqual([2, 'copy-trader: usage: --journal and --no-journal: give one or the other (copy-trader --help lists the options)\n']);
      const lease = await runCli(['run', '--followers', 'f.json', '--signals', 's.jsonl', '--journal-lease-ms', '5s']);
      expect([lease.code, lease.stderr]).toEqual([2, 'copy-trader: usage: --journal-lease-ms: expected a number of milliseconds from 100 to 86400000, got "5s" (copy-trader --help lists the options)\n']);
    });
  });
});
