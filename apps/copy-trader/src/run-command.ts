import type { ConnectOptions } from './create-followers';
import { createFollowers } from './create-followers';
import { DEFAULT_LIMITS } from './copy-signal';
import { parseFollowersJson } from './followers-config';
import { readInputFile } from './read-input-file';
import type { ReplayOptions } from './replay';
import { replay } from './replay';
import { parseSignalsJsonl } from './signals';

export interface RunOptions extends Omit<ReplayOptions, 'beforeSignal' | 'limits'>, Omit<ConnectOptions, 'extra'> {
  readonly followersPath: string;
  readonly signalsPath: string;
  readonly venueConcurrency?: number | undefined;
}

/** `copy-trader run`: both files are validated in full before any adapter is created. */
export async function runSignalsFile(options: RunOptions): Promise<number> {
  const configs = parseFollowersJson(await readInputFile(options.followersPath, 'followers file'), options.followersPath);
  const signals = parseSignalsJsonl(await readInputFile(options.signalsPath, 'signals file'), options.signalsPath);
  const followers = createFollowers(configs, options);
  options.out.write(`${signals.length} signals -> ${followers.length} followers${options.dryRun ? ' (dry run: nothing is sent)' : ''}${options.testnet === true ? ' on testnets' : ''}\n\n`);
  const limits = { ...DEFAULT_LIMITS, ...(options.venueConcurrency !== undefined && { perVenue: options.venueConcurrency }) };
  const result = await replay(signals, followers, { ...options, limits });
  return result.exitCode;
}
