#!/usr/bin/env node
import { parseCliOptions, USAGE, type CliOptions } from './cli-options';
import { ALL_VENUES, startSimulator } from './start-simulator';

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    const argv = process.argv.slice(2);
    // `pnpm sim -- --port 8899` may hand the separator through; it means nothing here.
    options = parseCliOptions(argv[0] === '--' ? argv.slice(1) : argv);
  } catch (error) {
    process.stderr.write(`xport-sim: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sim = await startSimulator(options);
  // Tools wait for exactly this line; keep it first and unchanged.
  process.stdout.write(`xport-sim listening on ${sim.url}\n`);
  const lines = [`demo accounts (seed ${options.seed}):`];
  for (const account of sim.accounts.demo()) {
    const passphrase = account.passphrase === undefined ? '' : `  passphrase=${account.passphrase}`;
    lines.push(`  ${account.venue.padEnd(8)} apiKey=${account.apiKey}  secret=${account.secret}${passphrase}`);
  }
  lines.push(`venues: ${ALL_VENUES.map((venue) => `${sim.url}/${venue.name}`).join('  ')}   control: ${sim.url}/_sim`);
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`xport-sim: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`xport-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
