import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = join(__dirname, '..');
const built = join(packageDir, 'dist', 'cli.cjs');
/** The built bin as a user runs it; straight from source when the package has not been built yet. */
const command = existsSync(built) ? [built] : ['--import', 'tsx', join(packageDir, 'src', 'cli.ts')];

function runCli(args: string[]): { child: ChildProcessWithoutNullStreams; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...command, ...args], { cwd: packageDir, stdio: 'pipe' });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
  return { child, output: () => output, exited };
}

/**
 * Resolves once everything the CLI printed so far matches, including what arrived before this was
 * called: two lines can come in one chunk, so waiting for "the next data" would wait forever.
 */
function waitForOutput(cli: ReturnType<typeof runCli>, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = pattern.exec(cli.output());
      if (match === null) return false;
      cli.child.stdout.off('data', onData);
      resolve(match);
      return true;
    };
    const onData = (): void => {
      check();
    };
    cli.child.stdout.on('data', onData);
    cli.child.once('exit', (code) => {
      if (!check()) reject(new Error(`xport-sim exited with ${String(code)} before printing ${String(pattern)}: ${cli.output()}`));
    });
    check();
  });
}

describe('xport-sim', () => {
  it('prints the listening line and demo keys, serves the control API, and exits 0 on SIGTERM', async () => {
    const cli = runCli(['--port', '0', '--seed', '7']);
    const [, url] = await waitForOutput(cli, /^xport-sim listening on (http:\/\/127\.0\.0\.1:\d+)\n/m);
    await waitForOutput(cli, /venues: /);
    expect(cli.output()).toMatch(/^ {2}binance +apiKey=\w{64} {2}secret=\w{64}$/m);
    expect(cli.output()).toMatch(/^ {2}bitget +apiKey=bg_[0-9a-f]{32} {2}secret=[0-9a-f]{64} {2}passphrase=\w{12}$/m);
    const orders = await fetch(`${String(url)}/_sim/orders`, { headers: { connection: 'close' } });
    expect(orders.status).toBe(200);
    expect(await orders.json()).toEqual([]);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 20_000);

  it('exits 2 with the usage on a bad flag', async () => {
    const cli = runCli(['--port', 'eighty']);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('--port must be an integer from 0 to 65535, got eighty');
    expect(cli.output()).toContain('Usage: xport-sim');
  }, 20_000);
});
