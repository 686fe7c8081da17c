import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { LocalRegistry } from './local-registry';
import { cleanEnv, packageDir, run } from './processes';

/** The package managers an app may install xport with; pnpm's default layout is the strict one. */
export const MANAGERS = ['npm', 'pnpm', 'yarn'] as const;
export type Manager = (typeof MANAGERS)[number];

/** The files every consumer app gets (test/pack-app). */
export const appFixtures = join(packageDir, 'test', 'pack-app');

/**
 * The packages a README's install line names: its first `npm install …` line, which the README
 * puts first and which must work as written under npm, pnpm (`pnpm add …`) and yarn (`yarn add …`).
 */
export function installLine(readme: string): string[] {
  const line = /^npm install ((?:@xport\/[a-z-]+ ?)+)/m.exec(readFileSync(readme, 'utf8'));
  if (line?.[1] === undefined) throw new Error(`${readme} has no "npm install @xport/…" line`);
  return line[1].trim().split(/\s+/);
}

export interface AppInstall {
  readonly manager: Manager;
  readonly dir: string;
  /** How long the install took, in ms. */
  readonly installMs: number;
}

export interface InstallContext {
  readonly scratch: string;
  readonly registry: LocalRegistry;
  /** pnpm's executable (the workspace's pinned version). */
  readonly pnpm: string;
  /** yarn 1's executable. */
  readonly yarn: string;
}

/**
 * A fresh app under `scratch` with the fixtures, and `packages` installed from the local registry
 * by `manager`, with a cache or store of its own. No install script runs: ccxt's postinstall would
 * reach the internet.
 */
export async function installApp(manager: Manager, packages: readonly string[], context: InstallContext): Promise<AppInstall> {
  const { scratch, registry } = context;
  const dir = join(scratch, `${manager}-app`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `xport-${manager}-app`, version: '0.0.0', private: true }, null, 2)}\n`);
  for (const file of readdirSync(appFixtures)) copyFileSync(join(appFixtures, file), join(dir, file));
  // The same typed app as a .cts file, which node16 compiles as CommonJS against the "require" types.
  copyFileSync(join(appFixtures, 'typed-app.mts'), join(dir, 'typed-app.cts'));
  const env = cleanEnv({ NPM_CONFIG_USERCONFIG: registry.userconfig });
  const url = `${registry.url}/`;
  const started = Date.now();
  if (manager === 'npm') {
    const args = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `--registry=${url}`, `--cache=${join(scratch, 'npm-cache')}`];
    await run('npm', [...args, ...packages], { cwd: dir, env });
  } else if (manager === 'pnpm') {
    const args = ['add', '--ignore-scripts', '--reporter=silent', `--registry=${url}`, `--store-dir=${join(scratch, 'pnpm-store')}`, `--cache-dir=${join(scratch, 'pnpm-cache')}`];
    await run(context.pnpm, [...args, ...packages], { cwd: dir, env });
  } else {
    const args = ['add', '--ignore-scripts', '--non-interactive', '--no-progress', '--silent', '--registry', url, '--cache-folder', join(scratch, 'yarn-cache')];
    await run(context.yarn, [...args, ...packages], { cwd: dir, env });
  }
  return { manager, dir, installMs: Date.now() - started };
}
