import { startSimulator } from '@xport/simulator';
import { VENUE_NAMES } from '@xport/venues';

import { createFollowers } from './create-followers';
import { createDemoFollowers } from './demo-followers';
import { DEMO_SESSION } from './demo-session';
import type { ReplayOptions } from './replay';
import { replay } from './replay';

export interface DemoOptions extends Omit<ReplayOptions, 'beforeSignal' | 'dryRun'> {
  readonly followers: number;
}

/** The README's first command: a simulator in this process, `followers` accounts on it, the built-in master session. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const sim = await startSimulator({ port: 0, seed: 42 });
  try {
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
    return result.exitCode;
  } finally {
    await sim.close();
  }
}
