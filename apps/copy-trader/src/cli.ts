import { cliMain } from './cli-main';

const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\ncopy-trader: stopping after the current signal (Ctrl-C again to quit now)\n');
  controller.abort(new Error('interrupted'));
  process.once('SIGINT', () => process.exit(130));
});

process.exitCode = await cliMain(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, signal: controller.signal });
