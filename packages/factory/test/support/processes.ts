import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const packageDir = fileURLToPath(new URL('../..', import.meta.url));
export const workspaceRoot = resolve(packageDir, '..', '..');

/**
 * The environment without what pnpm, npm and vitest set for their own children (npm_config_*,
 * NODE_OPTIONS, and NODE_PATH, through which pnpm lets a script resolve every package in the
 * workspace's store: an app given it would find packages it never installed).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_)/i.test(key) && key !== 'NODE_OPTIONS' && key !== 'NODE_PATH'));
  return { ...env, ...extra };
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeout?: number;
}

/** Runs a command to completion; a failure carries the command's output in its message. */
export async function run(command: string, args: readonly string[], options: RunOptions): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), timeout: options.timeout ?? 300_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) failed: ${(error as Error).message}\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

/**
 * The pnpm the workspace pins (`packageManager`), as an executable path: fetched by npx from its
 * cache (or the registry) once, before any command is pointed at a local registry.
 */
export async function locatePnpm(): Promise<string> {
  const { packageManager } = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { packageManager: string };
  const { stdout } = await run('npx', ['--yes', '-p', packageManager, '-c', 'command -v pnpm'], { cwd: workspaceRoot });
  return stdout.trim();
}
