import type { CliIo } from './cli-main';
import type { QueueCommand } from './queue-command';
import { parseQueueCommandArgs } from './queue-command';
import { serveCommand } from './serve-command';
import { workerCommand } from './worker-command';

/** The queue engine's commands (`@xport/queue-bullmq`). */
export const QUEUE_COMMANDS: readonly QueueCommand[] = [serveCommand, workerCommand];

/** Runs `argv` when its first word names a queue command; undefined otherwise. */
export async function runQueueCommand(argv: readonly string[], io: CliIo): Promise<number | undefined> {
  const command = QUEUE_COMMANDS.find((candidate) => candidate.name === argv[0]);
  if (command === undefined) return undefined;
  const { own, common } = parseQueueCommandArgs(command, argv.slice(1));
  if (common.help) {
    io.out.write(`${command.usage}\n`);
    return 0;
  }
  return command.handler(own, common, io);
}
