/**
 * What the SQLite journal costs an order, beside the memory journal and no journal at all:
 * begin+settle pairs per second, and the time the journal adds to each order sent to a stub venue
 * on loopback (p50/p99), one order at a time and 64 in flight. The file is on the local disk
 * (os.tmpdir()) with synchronous=FULL, so every figure includes a real fsync. Run with
 * `pnpm --filter @xport/journal-sqlite bench` after a build: it loads the BUILT package.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { MemoryOrderJournal } from '@xport/core';
import { benchOrderJournals, formatJournalBench } from '@xport/contract-tests/journal-bench';

import type * as JournalSqlite from '../src/index';

async function main(): Promise<void> {
  const { SqliteOrderJournal } = (await import(pathToFileURL(resolve(__dirname, '..', 'dist', 'index.mjs')).href)) as typeof JournalSqlite;
  const directory = mkdtempSync(join(process.env.XPORT_BENCH_DIR ?? tmpdir(), 'xport-journal-bench-'));
  let files = 0;
  const rows = await benchOrderJournals(
    [
      { label: 'memory', open: () => new MemoryOrderJournal() },
      { label: 'sqlite (file, synchronous=FULL)', open: () => new SqliteOrderJournal({ path: join(directory, `bench-${++files}.db`) }) },
    ],
    { pairs: Number(process.env.XPORT_BENCH_PAIRS ?? 2000) },
  );
  rmSync(directory, { recursive: true, force: true });
  console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, file in ${directory}\n`);
  console.log(formatJournalBench(rows));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
