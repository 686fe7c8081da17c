import { OPTIONS, readJournal } from '../cli/common-options';
import type { CommandDefinition } from '../cli/definition';
import { EXIT_USAGE } from '../cli/definition';
import { listJournal } from '../journal-command';

/** `copy-trader journal`: what the order journal holds. */
export const journalCommand: CommandDefinition = {
  name: 'journal',
  summary: 'list what the order journal holds, oldest first (reads the journal, never creates one)',
  options: [
    { ...OPTIONS.journal, description: 'the journal to list: an SQLite file or a postgres:// URL', default: 'copy-trader-journal.db beside --signals, else in the working directory' },
    { name: 'signals', type: 'string', value: 'FILE', description: 'list the journal that `run` keeps beside this signals file' },
    { name: 'pending', type: 'boolean', description: 'only what recovery must resolve: pending and unknown entries' },
    { ...OPTIONS.json, description: 'the entries as JSON; `-` writes only the JSON to standard output (no table)' },
  ],
  exitCodes: [{ code: 0, meaning: 'listed' }, { ...EXIT_USAGE, meaning: 'no such journal, or something to fix in the command line' }],
  async run(args, io) {
    return listJournal({ out: io.out, journal: readJournal(args, { noJournal: false }), signalsPath: args.string('signals'), pending: args.flag('pending'), json: args.string('json') });
  },
};
