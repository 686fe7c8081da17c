import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it, vi } from 'vitest';

import { runDemo } from './demo-command';

// What an install with scripts off leaves behind: better-sqlite3 without its native addon, which
// fails only when a database is opened (as `bindings` does), not when the module is imported.
vi.mock('@xport/journal-sqlite', () => ({
  openSqliteOrderJournal: () => {
    throw new Error('SqliteOrderJournal: cannot open journal.db: Could not locate the bindings file. Tried:\n → /somewhere/build/better_sqlite3.node');
  },
}));

function capture(): { out: { write: (text: string) => boolean }; text: () => string } {
  let written = '';
  return {
    out: {
      write: (text: string) => {
        written += text;
        return true;
      },
    },
    text: () => written,
  };
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the demo without a loadable SQLite addon', () => {
  it('runs the session with its journal in memory and says so', async () => {
    const { out, text } = capture();
    const code = await runDemo({ out, verbose: false, followers: 3 });
    expect(code).toBe(0);
    expect(text()).toMatch(/3 followers: 1 binance, 1 bybit, 1 bitget/);
    expect(text()).toContain('journal: in memory (the SQLite journal could not be opened: SqliteOrderJournal: cannot open journal.db: Could not locate the bindings file. Tried:), exactly-once within this process only\n');
  }, 60_000);

  it('still refuses a journal file the user named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copy-trader-demo-test-'));
    dirs.push(dir);
    const { out } = capture();
    await expect(runDemo({ out, verbose: false, followers: 3, journal: { kind: 'sqlite', path: join(dir, 'named.db') } })).rejects.toThrow(/Could not locate the bindings file/);
  }, 60_000);
});
