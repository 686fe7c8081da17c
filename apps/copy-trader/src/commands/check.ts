import { checkFollowers } from '../check-command';
import { BASE_URL_OPTIONS, OPTIONS, readAdapterExtra, readBaseUrls, readVenueConcurrency } from '../cli/common-options';
import type { CommandDefinition } from '../cli/definition';
import { EXIT_USAGE } from '../cli/definition';
import { displayFor } from '../terminal';

/** `copy-trader check`: the followers file validated, then one balance read per follower. */
export const checkCommand: CommandDefinition = {
  name: 'check',
  summary: "validate a followers file, then prove each follower's credentials with one balance read (USDT, spot wallet)",
  options: [OPTIONS.followersFile, OPTIONS.testnet, ...BASE_URL_OPTIONS, OPTIONS.requestTimeoutMs, { ...OPTIONS.venueConcurrency, default: '8' }, OPTIONS.verbose],
  exitCodes: [{ code: 0, meaning: 'every follower answered' }, { code: 1, meaning: 'a balance read failed (the row says why)' }, EXIT_USAGE],
  async run(args, io) {
    const baseUrls = readBaseUrls(args);
    const venueConcurrency = readVenueConcurrency(args);
    const extra = readAdapterExtra(args);
    return checkFollowers({
      env: io.env,
      out: io.out,
      display: displayFor(io.out, io.env, args.flag('verbose')),
      testnet: args.flag('testnet'),
      baseUrls,
      venueConcurrency,
      extra,
      followersPath: args.string('followers') ?? '',
    });
  },
};
