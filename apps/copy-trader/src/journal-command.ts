import { writeFile } from 'node:fs/promises';

import { describeOrderRequest } from '@xport/core';
import type { JournalEntry } from '@xport/core';

import type { JournalLocation } from './journal-store';
import { defaultJournalLocation, describeJournal, journalLocation, openJournal, DEFAULT_JOURNAL_FILE } from './journal-store';
import type { OutputStream } from './session-printer';
import { formatTable } from './session-printer';

export interface JournalCommandOptions {
  readonly out: OutputStream;
  /** Default: the file beside `signalsPath`, else `copy-trader-journal.db` in the working directory. */
  readonly journal?: JournalLocation | undefined;
  readonly signalsPath?: string | undefined;
  /** Only the entries recovery must resolve: pending and unknown. */
  readonly pending: boolean;
  /** Writes the entries as JSON to this file, or to `out` when `-`. */
  readonly json?: string | undefined;
}

/** What the outcome column says of an entry. */
function outcomeOf(entry: JournalEntry): string {
  switch (entry.state) {
    case 'placed': {
      const { order } = entry.outcome;
      return `order ${order.orderId} ${order.status} ${order.filledQuantity}${order.averagePrice === undefined ? '' : ` @ ${order.averagePrice}`}`;
    }
    case 'refused':
      return `${entry.outcome.errorClass}${entry.outcome.code === undefined ? '' : ` (${entry.outcome.code})`}: ${entry.outcome.message.split('\n')[0] ?? ''}`;
    case 'unknown':
      return entry.outcome.reason;
    case 'pending':
      return `claimed by ${entry.owner} until ${new Date(entry.leaseExpiresAt).toISOString()}`;
  }
}

/** `copy-trader journal`: lists the journal's entries, oldest first; reads the journal, never creates one. */
export async function listJournal(options: JournalCommandOptions): Promise<number> {
  const location = options.journal ?? (options.signalsPath === undefined ? journalLocation(DEFAULT_JOURNAL_FILE) : defaultJournalLocation(options.signalsPath));
  if (location.kind === 'none') {
    options.out.write('no journal to list (--no-journal)\n');
    return 2;
  }
  const store = await openJournal(location, { mustExist: true });
  if (store === undefined) return 2;
  try {
    const entries = options.pending ? await store.pending() : await store.list();
    if (options.json !== undefined) {
      const text = `${JSON.stringify(entries, null, 2)}\n`;
      if (options.json === '-') options.out.write(text);
      else await writeFile(options.json, text);
      if (options.json === '-') return 0;
    }
    const rows = entries.map((entry) => [
      new Date(entry.createdAt).toISOString(),
      entry.key.exchange,
      entry.key.account,
      entry.key.clientOrderId,
      entry.state,
      describeOrderRequest(entry.request),
      outcomeOf(entry),
    ]);
    const counts = new Map<string, number>();
    for (const entry of entries) counts.set(entry.state, (counts.get(entry.state) ?? 0) + 1);
    options.out.write(`${describeJournal(location)}\n`);
    options.out.write(
      `${entries.length} ${options.pending ? 'entries to resolve (pending or unknown)' : 'entries'}${counts.size === 0 ? '' : `: ${[...counts].map(([state, count]) => `${count} ${state}`).join(', ')}`}\n`,
    );
    if (rows.length > 0) options.out.write(`\n${formatTable(['created', 'venue', 'account', 'client order id', 'state', 'order', 'outcome'], rows)}\n`);
    if (options.json !== undefined) options.out.write(`entries written to ${options.json}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
