import type Database from 'better-sqlite3';

import { ConfigurationError } from '@xport/core';

/** The journal's table; the file may hold an application's own tables beside it. */
export const TABLE = 'xport_order_journal';

/** The schema this version writes; a file written by a later version is refused, not guessed at. */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS xport_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS ${TABLE} (
    exchange TEXT NOT NULL,
    account TEXT NOT NULL,
    client_order_id TEXT NOT NULL,
    request TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'placed', 'refused', 'unknown')),
    outcome TEXT,
    owner TEXT NOT NULL,
    lease_expires_at INTEGER NOT NULL,
    claims INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (exchange, account, client_order_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ${TABLE}_created ON ${TABLE} (created_at, exchange, account, client_order_id);
  CREATE INDEX IF NOT EXISTS ${TABLE}_open ON ${TABLE} (updated_at) WHERE state IN ('pending', 'unknown');
  INSERT INTO xport_schema (component, version) VALUES ('order_journal', ${SCHEMA_VERSION}) ON CONFLICT (component) DO NOTHING;
`;

/**
 * Sets the connection up for durability and creates the table if absent. WAL lets readers go on
 * while one process writes; `synchronous=FULL` fsyncs the log at every commit, so a claim that
 * resolved survives a power cut, not only a crash. Safe to run from several processes at once.
 */
export function migrateSqliteJournal(db: Database.Database, busyTimeoutMs = 5_000): void {
  // Switching to WAL needs the file to itself for a moment, and SQLite answers SQLITE_BUSY at once
  // (without its busy handler) when another process opens the same new file at the same instant:
  // two copy-traders started together. Waiting a little and asking again is what the handler would do.
  const mode = retryWhileBusy(() => db.pragma('journal_mode = WAL', { simple: true }) as string, busyTimeoutMs);
  if (mode !== 'wal' && !db.memory) {
    throw new ConfigurationError(`SqliteOrderJournal: ${db.name} cannot use WAL mode (got "${mode}")`, { field: 'path', expected: 'a file on a local disk' });
  }
  db.pragma('synchronous = FULL');
  db.transaction(() => {
    db.exec(SCHEMA);
  }).immediate();
  const row = db.prepare<[], { version: number }>("SELECT version FROM xport_schema WHERE component = 'order_journal'").get();
  if (row !== undefined && row.version > SCHEMA_VERSION) {
    throw new ConfigurationError(`SqliteOrderJournal: ${db.name} holds journal schema ${row.version}; this version of @xport/journal-sqlite reads ${SCHEMA_VERSION}. Upgrade the package.`, {
      field: 'path',
      expected: `a journal of schema ${SCHEMA_VERSION} or a new file`,
    });
  }
}

/** Runs `step` again while SQLite answers SQLITE_BUSY, for at most `timeoutMs`, backing off up to 50 ms. */
function retryWhileBusy<T>(step: () => T, timeoutMs: number): T {
  const started = Date.now();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt += 1) {
    try {
      return step();
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== 'SQLITE_BUSY' || Date.now() - started >= timeoutMs) throw error;
      Atomics.wait(pause, 0, 0, Math.min(50, 2 ** attempt));
    }
  }
}
