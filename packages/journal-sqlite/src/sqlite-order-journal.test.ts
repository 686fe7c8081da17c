import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { ConfigurationError, ExchangeError, InvalidOrderError } from '@xport/core';
import { CONTRACT_REQUESTS, contractIntent, InstantClock } from '@xport/contract-tests/journal';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

import { SqliteOrderJournal } from './sqlite-order-journal';

const directory = mkdtempSync(join(tmpdir(), 'xport-journal-sqlite-unit-'));
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});
let files = 0;
const newPath = (): string => join(directory, `unit-${++files}.db`);
const claim = { owner: 'alice', leaseMs: 30_000 };
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const handle of opened.splice(0)) await handle.close();
});

function open(path: string, options: { busyTimeoutMs?: number } = {}): SqliteOrderJournal {
  const journal = new SqliteOrderJournal({ path, clock: new InstantClock(1_700_000_000_000), ...options });
  opened.push(journal);
  return journal;
}

function raw(path: string): Database.Database {
  const db = new Database(path);
  opened.push(db);
  return db;
}

describe('SqliteOrderJournal', () => {
  it('keeps the file in WAL mode and fsyncs every commit (synchronous=FULL on its connection)', () => {
    const connections: Database.Database[] = [];
    type Pragma = (this: Database.Database, ...args: Parameters<Database.Database['pragma']>) => unknown;
    const pragma = Object.getOwnPropertyDescriptor(Database.prototype, 'pragma')?.value as Pragma;
    vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (this: Database.Database, ...args: Parameters<Database.Database['pragma']>) {
      connections.push(this);
      return pragma.apply(this, args);
    });
    const path = newPath();
    open(path);
    const own = connections[0];
    expect(own?.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    vi.restoreAllMocks();
    expect(raw(path).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('runs the calls of one event-loop turn in one transaction, each refused or answered on its own', async () => {
    const journal = open(newPath());
    const intents = Array.from({ length: 300 }, (_, index) => contractIntent(`batch-${index}`, CONTRACT_REQUESTS.spotBuy));
    const first = contractIntent('batch-0', CONTRACT_REQUESTS.spotBuy);
    const answers = await Promise.allSettled([
      ...intents.map((intent) => journal.begin(intent, claim)),
      journal.begin({ ...first, key: { ...first.key, account: '' } }, claim),
      journal.begin(first, { owner: 'bob', leaseMs: 1 }),
    ]);
    expect(answers.slice(0, 300).every((answer) => answer.status === 'fulfilled' && answer.value.kind === 'claimed')).toBe(true);
    const refused = answers[300];
    expect(refused?.status === 'rejected' && InvalidOrderError.isInstance(refused.reason)).toBe(true);
    // Later in the same batch, bob sees alice's claim made earlier in it.
    expect(answers[301]).toMatchObject({ status: 'fulfilled', value: { kind: 'busy', entry: { owner: 'alice' } } });
    expect(await journal.list({ limit: 1000 })).toHaveLength(300);
  });

  it('rolls a batch back and rejects it with ExchangeError when another process holds the write lock too long', async () => {
    const path = newPath();
    const journal = open(path, { busyTimeoutMs: 50 });
    const holder = raw(path);
    holder.exec('BEGIN IMMEDIATE');
    const intent = contractIntent('locked');
    const error = await journal.begin(intent, claim).catch((caught: unknown) => caught);
    expect(ExchangeError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SQLITE_BUSY' });
    holder.exec('ROLLBACK');
    expect(await journal.get(intent.key)).toBeUndefined();
    expect((await journal.begin(intent, claim)).kind).toBe('claimed');
  });

  it('runs the calls already made when closed, and they are there on reopen', async () => {
    const path = newPath();
    const journal = open(path);
    const intent = contractIntent('closing');
    const claimed = journal.begin(intent, claim);
    await journal.close();
    expect((await claimed).kind).toBe('claimed');
    expect((await open(path).get(intent.key))?.owner).toBe('alice');
  });

  it('shares a file with the application’s own tables', async () => {
    const path = newPath();
    raw(path).exec("CREATE TABLE signals (id TEXT PRIMARY KEY); INSERT INTO signals VALUES ('s1')");
    const journal = open(path);
    expect((await journal.begin(contractIntent('shared'), claim)).kind).toBe('claimed');
    expect(raw(path).prepare('SELECT id FROM signals').pluck().all()).toEqual(['s1']);
  });

  it('refuses a file whose journal a later version wrote, and a path it cannot open, with ConfigurationError', () => {
    const path = newPath();
    open(path);
    raw(path).exec("UPDATE xport_schema SET version = 2 WHERE component = 'order_journal'");
    expect(() => open(path)).toThrow(ConfigurationError);
    expect(() => open(path)).toThrow(/holds journal schema 2/);
    expect(() => open(join(directory, 'missing-directory', 'journal.db'))).toThrow(ConfigurationError);
    expect(() => new SqliteOrderJournal({ path: '' })).toThrow(/path must be the database file/);
    expect(() => new SqliteOrderJournal({ path: newPath(), busyTimeoutMs: -1 })).toThrow(/busyTimeoutMs must be an integer >= 1/);
  });
});
