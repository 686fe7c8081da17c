import { execFile } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { OrderResultJSON } from '@xport/core';
import { startSimulator } from '@xport/simulator';
import type { SimAccount, Simulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Packs the packages an app needs (pnpm rewrites `workspace:^` to real versions), installs the
// tarballs with npm into an app under os.tmpdir(), far from the workspace's node_modules, and runs
// that app as ESM and as CommonJS against a simulator this test starts.

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workspaceRoot = resolve(packageDir, '..', '..');
const appFiles = join(packageDir, 'test', 'pack-app');
/** What an app that uses only Binance installs. */
const APP_PACKAGES = ['@xport/factory', '@xport/binance'];
const SETUP_TIMEOUT_MS = 180_000;
const RUN_TIMEOUT_MS = 60_000;

interface Manifest {
  readonly name: string;
  readonly packageManager?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

/** The app's packages plus every workspace package they need at run time (not their dev tools). */
function packagesToPack(): string[] {
  const manifests = new Map(
    readdirSync(join(workspaceRoot, 'packages'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => {
        try {
          const manifest = readManifest(join(workspaceRoot, 'packages', entry.name));
          return [[manifest.name, manifest] as const];
        } catch {
          return [];
        }
      }),
  );
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    const manifest = manifests.get(name);
    if (manifest === undefined) throw new Error(`${name} is not a workspace package`);
    needed.add(name);
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) if (range.startsWith('workspace:')) visit(dependency);
  };
  APP_PACKAGES.forEach(visit);
  return [...needed].sort();
}

/** The environment without what pnpm and vitest set for their own children (npm_config_*, NODE_OPTIONS). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_)/i.test(key) && key !== 'NODE_OPTIONS'));
  return { ...env, ...extra };
}

interface AppOutput {
  readonly format: string;
  readonly resolved: string;
  readonly order: OrderResultJSON;
  readonly unsupported: { readonly isInstance: boolean; readonly packageName: string } | undefined;
  readonly ccxtSource: string;
}

describe('the packed packages, installed from tarballs into an app outside the workspace', () => {
  let scratch: string;
  let appDir: string;
  let started: Simulator | undefined;
  let account: SimAccount;
  const sim = (): Simulator => {
    if (started === undefined) throw new Error('the simulator starts at the end of beforeAll');
    return started;
  };
  const printed = new Map<string, AppOutput>();

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'xport-pack-install-'));
    const tarballDir = join(scratch, 'tarballs');
    appDir = join(scratch, 'app');
    const names = packagesToPack();
    const pnpm = readManifest(workspaceRoot).packageManager ?? 'pnpm';
    await run('npx', ['--yes', pnpm, ...names.flatMap((name) => ['--filter', name]), 'pack', '--pack-destination', tarballDir], {
      cwd: workspaceRoot,
      env: cleanEnv(),
    });
    const tarballs = readdirSync(tarballDir).filter((file) => file.endsWith('.tgz'));
    expect(tarballs).toHaveLength(names.length);

    mkdirSync(appDir);
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'xport-pack-install-app', version: '0.0.0', private: true }));
    for (const file of ['app.mjs', 'app.cjs', 'scenario.cjs']) copyFileSync(join(appFiles, file), join(appDir, file));
    // One npm install of every tarball, so that they satisfy each other's `^0.1.0` ranges; ccxt and
    // decimal.js come from the npm cache or registry.
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...tarballs.map((file) => join(tarballDir, file))],
      { cwd: appDir, env: cleanEnv() },
    );
    started = await startSimulator({ port: 0, host: '127.0.0.1', seed: 23 });
    account = started.accounts.create({ venue: 'binance', balances: { USDT: '10000' } });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await started?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installs real copies of the packages, not links into the workspace', () => {
    for (const name of APP_PACKAGES) {
      expect(lstatSync(join(appDir, 'node_modules', name)).isSymbolicLink(), name).toBe(false);
      expect(readManifest(join(appDir, 'node_modules', name)).dependencies?.['@xport/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
  });

  it.each([
    ['app.mjs', 'esm'],
    ['app.cjs', 'cjs'],
  ])('%s creates a Binance adapter through the factory and buys on the simulator', async (file, format) => {
    const { stdout } = await run(process.execPath, [file], {
      cwd: appDir,
      timeout: RUN_TIMEOUT_MS,
      env: cleanEnv({ XPORT_SIM_URL: sim().url, XPORT_API_KEY: account.apiKey, XPORT_API_SECRET: account.secret, XPORT_ORDER_KEY: `pack-install-${format}` }),
    });
    const output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as AppOutput;
    printed.set(format, output);

    expect(output.format).toBe(format);
    const resolved = output.resolved.startsWith('file:') ? fileURLToPath(output.resolved) : output.resolved;
    expect(resolved.startsWith(join(appDir, 'node_modules', '@xport', 'factory'))).toBe(true);
    expect(output.order).toMatchObject({ exchange: 'binance', symbol: 'BTC/USDT', marketType: 'spot', side: 'buy', status: 'filled', requestedQuantity: '0.001', filledQuantity: '0.001' });
    const executed = sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey }).find((order) => order.orderId === output.order.orderId);
    expect(executed?.clientOrderId).toBe(output.order.clientOrderId);
    expect(executed?.quantity.toFixed()).toBe('0.001');
    expect(executed?.price.toFixed()).toBe(output.order.averagePrice);
    // The error contract crosses the package boundary in both formats.
    expect(output.unsupported).toEqual({ isInstance: true, packageName: '@xport/bybit' });
    // ccxt's Binance module was found alone in npm's layout too, not through all of ccxt.
    expect(output.ccxtSource).toBe('module');
  }, RUN_TIMEOUT_MS);

  it('leaves exactly the two orders in the ledger, one per format', () => {
    const ledger = sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey });
    expect(ledger.map((order) => order.orderId).sort()).toEqual([printed.get('esm')?.order.orderId, printed.get('cjs')?.order.orderId].sort());
  });
});
