import { OPTIONS, readJournal, SESSION_EXIT_CODES } from '../cli/common-options';
import type { CommandDefinition } from '../cli/definition';
import { usageError } from '../cli/parse-args';
import { runDemo } from '../demo-command';
import { sessionOutput } from '../terminal';

/** `copy-trader demo`: the built-in master session on the embedded simulator. */
export const demoCommand: CommandDefinition = {
  name: 'demo',
  summary: "replay a built-in master session onto N followers over the three venues, on a simulator started in this process (no keys, no network)",
  details: ['Followers are created round-robin over the venues with balances from 20 to 60,000 USDT, both position modes and the three sizing rules.'],
  options: [
    { name: 'followers', type: 'string', value: 'N', description: 'how many followers, 1 to 10000', default: '30' },
    OPTIONS.json,
    { ...OPTIONS.journal, default: 'a temporary SQLite file, removed at the end (in memory where SQLite cannot load)' },
    OPTIONS.noJournal,
    OPTIONS.verbose,
  ],
  exitCodes: SESSION_EXIT_CODES,
  async run(args, io) {
    const followers = demoFollowerCount(args.string('followers'));
    const journal = readJournal(args);
    const output = sessionOutput(io, args.string('json'), args.flag('verbose'));
    return runDemo({ ...output, followers, journal, signal: io.signal, stop: io.stop });
  },
};

function demoFollowerCount(value: string | undefined): number {
  if (value === undefined) return 30;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > 10_000) throw usageError(`--followers: expected a number of followers from 1 to 10000, got ${JSON.stringify(value)}`);
  return count;
}
