import type { CommandDefinition } from '../cli/definition';

import { checkCommand } from './check';
import { demoCommand } from './demo';
import { journalCommand } from './journal';
import { runCommand } from './run';
import { serveCommand } from './serve';
import { workerCommand } from './worker';

/** Every command of the CLI, in the order `copy-trader --help` lists them. A new command is one file and one line here. */
export const COMMANDS: readonly CommandDefinition[] = [demoCommand, runCommand, checkCommand, journalCommand, serveCommand, workerCommand];
