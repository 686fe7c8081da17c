import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as the package's bin runs it. */
export const CLI = fileURLToPath(new URL('../../dist/cli.mjs', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliStop {
  /** Kills the CLI (SIGKILL, like a crash) as soon as stdout matches. */
  readonly killWhen?: RegExp;
  /** Reads stdout like `| head -n N`: the pipe is closed once that many lines arrived, and only they are kept. */
  readonly closeAfterLines?: number;
}

/** Runs the built CLI. */
export function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}, stop: CliStop = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stop.killWhen?.test(stdout) === true) child.kill('SIGKILL');
      const lines = stdout.split('\n');
      if (stop.closeAfterLines !== undefined && lines.length > stop.closeAfterLines) {
        stdout = `${lines.slice(0, stop.closeAfterLines).join('\n')}\n`;
        child.stdout.destroy();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

