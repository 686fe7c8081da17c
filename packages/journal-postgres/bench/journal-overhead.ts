/**
 * What the PostgreSQL journal costs an order, beside the memory journal and no journal at all:
 * begin+settle pairs per second, and the time the journal adds to each order sent to a stub venue
 * on loopback (p50/p99), one order at a time and 64 in flight. The server is XPORT_POSTGRES_URL
 * (default: the local one on 127.0.0.1:5432, over TCP) with synchronous_commit on, so every commit
 * includes the server's WAL fsync. Run with `pnpm --filter @xport/journal-postgres bench` after a
 * build: it loads the BUILT package.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { MemoryOrderJournal } from '@xport/core';
import { benchOrderJournals, formatJournalBench } from '@xport/contract-tests/journal-bench';
import pg from 'pg';

import type * as JournalPostgres from '../src/index';

const URL = process.env.XPORT_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';

async function main(): Promise<void> {
  const { PostgresOrderJournal } = (await import(pathToFileURL(resolve(__dirname, '..', 'dist', 'index.mjs')).href)) as typeof JournalPostgres;
  const admin = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`@xport/journal-postgres bench skipped: PostgreSQL at ${URL} did not answer (${(error as Error).message})`);
    return;
  }
  const schema = `xport_bench_${randomBytes(4).toString('hex')}`;
  const server = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  let tables = 0;
  try {
    const rows = await benchOrderJournals(
      [
        { label: 'memory', open: () => new MemoryOrderJournal() },
        { label: 'postgres (loopback TCP, synchronous_commit=on)', open: () => new PostgresOrderJournal({ connectionString: URL, schema, table: `bench_${++tables}`, maxConnections: 16 }) },
      ],
      { pairs: Number(process.env.XPORT_BENCH_PAIRS ?? 2000) },
    );
    console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, PostgreSQL ${server} at ${URL.replace(/\/\/[^@]*@/, '//')}\n`);
    console.log(formatJournalBench(rows));
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
