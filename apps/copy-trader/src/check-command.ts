import type { ConnectOptions } from './create-followers';
import { createFollowers } from './create-followers';
import { describeError } from './copy-signal';
import { parseFollowersJson } from './followers-config';
import { readInputFile } from './read-input-file';
import { KeyedSemaphores } from './semaphore';
import type { OutputStream } from './session-printer';
import { formatTable } from './session-printer';
import type { Display } from './terminal';
import { paint } from './terminal';

export interface CheckOptions extends ConnectOptions {
  readonly followersPath: string;
  readonly out: OutputStream;
  readonly venueConcurrency?: number | undefined;
  /** How the table is drawn (default: no colour, 100 columns). */
  readonly display?: Display | undefined;
}

/**
 * `copy-trader check`: validates the file, then proves each follower's credentials with one balance
 * read (USDT, spot wallet). 0 when every follower answered.
 */
export async function checkFollowers(options: CheckOptions): Promise<number> {
  const configs = parseFollowersJson(await readInputFile(options.followersPath, 'followers file'), options.followersPath);
  options.out.write(`${options.followersPath}: ${configs.length} followers, file valid\n`);
  const followers = createFollowers(configs, options);
  const venues = new KeyedSemaphores(options.venueConcurrency ?? 8);
  const rows = await Promise.all(
    followers.map((follower) =>
      venues.for(follower.config.exchange).use(async () => {
        try {
          const balance = await follower.port.getBalance('USDT');
          return { ok: true, cells: [follower.config.id, follower.config.exchange, 'ok', `USDT ${balance.free.toFixed()} free`] };
        } catch (error) {
          return { ok: false, cells: [follower.config.id, follower.config.exchange, 'FAILED', describeError(error)] };
        } finally {
          await follower.port.close();
        }
      }),
    ),
  );
  const colourOf = (index: number, column: number): 'green' | 'red' | undefined => (column === 2 ? (rows[index]?.ok === true ? 'green' : 'red') : undefined);
  options.out.write(`${formatTable(['follower', 'venue', 'credentials', 'balance'], rows.map((row) => row.cells), { display: options.display, colourOf })}\n`);
  const failed = rows.filter((row) => !row.ok).length;
  const display = options.display ?? { colour: false };
  options.out.write(failed === 0 ? `all ${rows.length} followers can trade\n` : `${paint(`${failed} of ${rows.length} followers failed the balance read`, 'red', display)}\n`);
  return failed === 0 ? 0 : 1;
}
