import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';

import { cliMain } from './cli-main';

const controller = new AbortController();
process.once('SIGINT', () => {
  process.stderr.write('\ncopy-trader: stopping after the current signal (Ctrl-C again to quit now)\n');
  controller.abort(new Error('interrupted'));
  process.once('SIGINT', () => process.exit(130));
});

// A reader that has seen enough (`copy-trader demo | head -3`) closes the pipe. Node reports that as
// an EPIPE error event on the stream, which unhandled would crash with a stack mid-signal: instead
// the rest of the output is dropped and the run stops quietly after the signal in flight.
const outputClosed = new AbortController();
// Every order in flight listens on these two signals (a fan-out has dozens): not a leak.
setMaxListeners(0, controller.signal, outputClosed.signal);
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    outputClosed.abort(error);
  });
}

// The package's own manifest, one level above dist/ (and above src/ when run from the sources).
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

process.exitCode = await cliMain(process.argv.slice(2), { out: process.stdout, err: process.stderr, env: process.env, signal: controller.signal, stop: outputClosed.signal, version });
