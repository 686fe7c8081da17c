import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import type { OrderJournal } from '@xport/core';
import { openPostgresOrderJournal } from '@xport/journal-postgres';
import { openSqliteOrderJournal } from '@xport/journal-sqlite';

import { CopyTraderConfigError } from './config-error';
import { redactMessage } from './redact-message';

/** The journal's file name when `--journal` is not given: beside the signals file. */
export const DEFAULT_JOURNAL_FILE = 'copy-trader-journal.db';

/** Where the order journal lives: an SQLite file, a PostgreSQL server, or nowhere (`--no-journal`). */
export type JournalLocation = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'none' };

/** `--journal FILE|URL` as a location: a `postgres://` or `postgresql://` URL is a server, anything else a file. */
export function journalLocation(value: string): JournalLocation {
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  return { kind: 'sqlite', path: resolve(value) };
}

/** The journal beside `signalsPath`, the default of `copy-trader run`. */
export function defaultJournalLocation(signalsPath: string): JournalLocation {
  return { kind: 'sqlite', path: resolve(dirname(signalsPath), DEFAULT_JOURNAL_FILE) };
}

/** One line naming the journal, never a database password. */
export function describeJournal(location: JournalLocation): string {
  switch (location.kind) {
    case 'sqlite':
      return `journal: ${location.path} (SQLite)`;
    case 'postgres':
      return `journal: ${redactMessage(location.url)} (PostgreSQL)`;
    case 'none':
      return 'journal: none (--no-journal: exactly-once within this process only)';
  }
}

export interface OpenJournalOptions {
  /** Refuse a file that does not exist yet instead of creating it (a command that only reads). */
  readonly mustExist?: boolean | undefined;
}

/** Opens the journal at `location` (creating its file or table when absent); undefined for `none`. */
export async function openJournal(location: JournalLocation, options: OpenJournalOptions = {}): Promise<OrderJournal | undefined> {
  switch (location.kind) {
    case 'none':
      return undefined;
    case 'sqlite':
      if (options.mustExist === true && !existsSync(location.path)) throw new CopyTraderConfigError('journal', [`${location.path}: no such journal file`]);
      if (!existsSync(dirname(location.path))) throw new CopyTraderConfigError('journal', [`${location.path}: its directory does not exist`]);
      return openSqliteOrderJournal({ path: location.path });
    case 'postgres':
      return openPostgresOrderJournal({ connectionString: location.url });
  }
}
