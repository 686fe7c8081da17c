import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describeOrderJournalContract } from '@xport/contract-tests/journal';
import { afterAll } from 'vitest';

import { SqliteOrderJournal } from './sqlite-order-journal';

const directory = mkdtempSync(join(tmpdir(), 'xport-journal-sqlite-'));
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});
let files = 0;

describeOrderJournalContract({
  name: 'sqlite',
  createStore: () => {
    const path = join(directory, `journal-${++files}.db`);
    return {
      open: ({ clock }) => new SqliteOrderJournal({ path, clock }),
      childOptions: { path },
      destroy: () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      },
    };
  },
  // Child processes load the built package, as an application would.
  childProcess: { module: new URL('../dist/index.mjs', import.meta.url).href, exportName: 'openSqliteOrderJournal' },
});
