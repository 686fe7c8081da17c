import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { OrderJournal } from '@xport/core';
import { MemoryOrderJournal } from '@xport/core';
import type { Simulator } from '@xport/simulator';
import { startSimulator } from '@xport/simulator';
import { VENUE_NAMES } from '@xport/venues';

import { createFollowers } from './create-followers';
import { createDemoFollowers } from './demo-followers';
import { DEMO_SESSION } from './demo-session';
import type { JournalLocation } from './journal-store';
import { describeJournal, openJournal } from './journal-store';
import type { ReplayOptions } from './replay';
import { replay } from './replay';

export interface DemoOptions extends Omit<ReplayOptions, 'beforeSignal' | 'dryRun'> {
  readonly followers: number;
  /**
   * Default: a fresh temporary SQLite file, removed at the end — or, where better-sqlite3's native
   * addon cannot be loaded (installed with scripts off and no prebuilt binary), a journal in memory.
   */
  readonly journal?: JournalLocation | undefined;
}

/** The README's first command: a simulator in this process, `followers` accounts on it, the built-in master session. */
export async function runDemo(options: DemoOptions): Promise<number> {
  // The simulator is new every time, so is the default journal: an old one would answer for orders this simulator never saw.
  const temporary = options.journal === undefined ? await mkdtemp(join(tmpdir(), 'copy-trader-demo-')) : undefined;
  const location: JournalLocation = options.journal ?? { kind: 'sqlite', path: join(temporary ?? '', 'journal.db') };
  // The journal opens first: a named one that cannot open stops the demo before a simulator starts.
  const { store, fallback } = await openDemoJournal(location, temporary !== undefined);
  let running: Simulator | undefined;
  try {
    const sim = await startSimulator({ port: 0, seed: 42 });
    running = sim;
    const demo = createDemoFollowers(sim, options.followers);
    const byVenue = new Map<string, number>();
    for (const config of demo.configs) byVenue.set(config.exchange, (byVenue.get(config.exchange) ?? 0) + 1);
    const hedge = demo.configs.filter((config) => config.positionMode === 'hedge').length;
    options.out.write(
      `xport copy-trader demo: simulator at ${sim.url} (in-process, no keys, no network)\n` +
        `${demo.configs.length} followers: ${[...byVenue].map(([venue, count]) => `${count} ${venue}`).join(', ')}; ` +
        `${demo.configs.length - hedge} one-way, ${hedge} hedge; sizing ratio / fixedNotional / equity, capped at 25% of balance\n` +
        `master session: ${DEMO_SESSION.length} signals\n\n`,
    );
    const followers = createFollowers(demo.configs, {
      env: demo.env,
      baseUrls: Object.fromEntries(VENUE_NAMES.map((venue) => [venue, `${sim.url}/${venue}`])),
      journal: store === undefined ? undefined : { store },
    });
    const result = await replay(
      DEMO_SESSION.map((step) => step.signal),
      followers,
      {
        ...options,
        dryRun: false,
        beforeSignal: (index) => {
          for (const [symbol, price] of Object.entries(DEMO_SESSION[index]?.prices ?? {})) sim.prices.set(symbol, price);
        },
      },
    );
    options.out.write(`${fallback ?? (temporary === undefined ? describeJournal(location) : `${describeJournal(location)}, temporary: removed now`)}\n`);
    return result.exitCode;
  } finally {
    await store?.close();
    await running?.close();
    if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
  }
}

/**
 * The demo's journal. A journal the user named must open; the default temporary file may fail only
 * because better-sqlite3's native addon is missing (an `npx` or install with scripts off builds
 * none), and the demo then keeps one in memory and says so instead of refusing to run.
 */
async function openDemoJournal(location: JournalLocation, isDefault: boolean): Promise<{ store: OrderJournal | undefined; fallback?: string }> {
  try {
    return { store: await openJournal(location) };
  } catch (error) {
    if (!isDefault) throw error;
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { store: new MemoryOrderJournal(), fallback: `journal: in memory (the SQLite journal could not be opened: ${reason}), exactly-once within this process only` };
  }
}
