import { existsSync } from 'node:fs';

import type { ConnectOptions } from './create-followers';
import { createFollowers } from './create-followers';
import { DEFAULT_LIMITS } from './copy-signal';
import { parseFollowersJson } from './followers-config';
import type { JournalLocation } from './journal-store';
import { defaultJournalLocation, describeJournal, openJournal } from './journal-store';
import { readInputFile } from './read-input-file';
import type { ReplayOptions } from './replay';
import { replay } from './replay';
import { parseSignalsJsonl } from './signals';

export interface RunOptions extends Omit<ReplayOptions, 'beforeSignal' | 'limits'>, Omit<ConnectOptions, 'journal'> {
  readonly followersPath: string;
  readonly signalsPath: string;
  readonly venueConcurrency?: number | undefined;
  /** Default: the SQLite file `copy-trader-journal.db` beside the signals file. */
  readonly journal?: JournalLocation | undefined;
  readonly journalLeaseMs?: number | undefined;
}

/** `copy-trader run`: both files are validated in full before any adapter is created. */
export async function runSignalsFile(options: RunOptions): Promise<number> {
  const configs = parseFollowersJson(await readInputFile(options.followersPath, 'followers file'), options.followersPath);
  const signals = parseSignalsJsonl(await readInputFile(options.signalsPath, 'signals file'), options.signalsPath);
  let location = options.journal ?? defaultJournalLocation(options.signalsPath);
  // A dry run reads a journal that exists (to say what a re-run would re-issue) but creates none.
  if (options.dryRun && location.kind === 'sqlite' && !existsSync(location.path)) location = { kind: 'none' };
  const store = await openJournal(location);
  try {
    const followers = createFollowers(configs, { ...options, journal: store === undefined ? undefined : { store, leaseMs: options.journalLeaseMs } });
    options.out.write(`${signals.length} signals -> ${followers.length} followers${options.dryRun ? ' (dry run: nothing is sent)' : ''}${options.testnet === true ? ' on testnets' : ''}\n\n`);
    const limits = { ...DEFAULT_LIMITS, ...(options.venueConcurrency !== undefined && { perVenue: options.venueConcurrency }) };
    const result = await replay(signals, followers, { ...options, limits });
    options.out.write(`${describeJournal(location)}\n`);
    return result.exitCode;
  } finally {
    await store?.close();
  }
}
