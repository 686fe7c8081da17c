import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { OrderResultJSON } from '@xport/core';
import { startSimulator } from '@xport/simulator';
import type { SimAccount, Simulator } from '@xport/simulator';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { installApp, installLine, MANAGERS } from '../test/support/consumer-app';
import type { AppInstall, Manager } from '../test/support/consumer-app';
import { packFolders, publishTarball, readManifest, startLocalRegistry, thirdPartyClosure } from '../test/support/local-registry';
import type { LocalRegistry } from '../test/support/local-registry';
import { cleanEnv, locatePnpm, packageDir, run, workspaceRoot } from '../test/support/processes';

// An app outside the workspace meets the packages as the release publishes them: every public
// package goes to a throwaway registry on 127.0.0.1 through the release flow (`changeset publish`,
// which packs with pnpm and rewrites `workspace:^`), third-party dependencies packed from the
// workspace's own node_modules beside them, and nothing else, so no install reaches the internet.
// Fresh apps install the factory README's install line with npm, pnpm (strict) and yarn, and are
// run (ESM, CommonJS, the README's example), type-checked (node16 ESM, node16 CommonJS, bundler;
// skipLibCheck off) and bundled with esbuild, each against a simulator this test starts.

const require = createRequire(import.meta.url);
const tsc = createRequire(join(workspaceRoot, 'package.json')).resolve('typescript/bin/tsc');
const yarn = join(dirname(require.resolve('yarn/package.json')), 'bin', 'yarn.js');
const README_PACKAGES = installLine(join(packageDir, 'README.md'));
/** The README's example also starts a simulator, so the apps install it beside the README's line. */
const APP_PACKAGES = [...README_PACKAGES, '@xport/simulator'];
/** Third-party tarballs packed from the workspace, kept between runs (keyed by name and version). */
const TARBALL_CACHE = join(workspaceRoot, 'node_modules', '.cache', 'xport-pack-install');
/**
 * Wide on purpose: publishing 14 packages and installing three apps spawns hundreds of processes, and
 * with the other core busy (or load near 18, measured) `changeset publish` alone went past 180 s.
 */
const SETUP_TIMEOUT_MS = 900_000;
const STEP_TIMEOUT_MS = 420_000;

interface Published {
  readonly name: string;
  readonly dir: string;
  readonly version: string;
}

/** Every workspace package the release publishes (not private), with its folder. */
function publicPackages(): Published[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(workspaceRoot, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(workspaceRoot, group, entry.name, 'package.json')))
      .map((entry) => join(workspaceRoot, group, entry.name))
      .map((dir) => ({ dir, ...readManifest(dir) }))
      .filter((manifest) => manifest.private !== true)
      .map(({ name, dir, version }) => ({ name, dir, version })),
  );
}

interface AppOutput {
  readonly format: string;
  readonly resolved: string;
  readonly order: OrderResultJSON;
  readonly unsupported: { readonly isInstance: boolean; readonly packageName: string } | undefined;
}

type Timings = Record<string, number>;

// The cells share the installs and run side by side: most of their time is spent waiting on child processes.
describe.concurrent('the published packages, installed into apps outside the workspace', () => {
  const timings: Timings = {};
  let scratch = '';
  let registry: LocalRegistry | undefined;
  let started: Simulator | undefined;
  let account: SimAccount;
  let published: Published[] = [];
  const apps = new Map<Manager, AppInstall>();
  const sim = (): Simulator => {
    if (started === undefined) throw new Error('the simulator starts in beforeAll');
    return started;
  };
  const appDir = (manager: Manager): string => {
    const app = apps.get(manager);
    if (app === undefined) throw new Error(`the ${manager} app is installed in beforeAll`);
    return app.dir;
  };
  const localRegistry = (): LocalRegistry => {
    if (registry === undefined) throw new Error('the local registry starts in beforeAll');
    return registry;
  };
  const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const begun = Date.now();
    try {
      return await work();
    } finally {
      timings[step] = Date.now() - begun;
    }
  };

  beforeAll(async () => {
    const begun = Date.now();
    scratch = mkdtempSync(join(tmpdir(), 'xport-pack-install-'));
    published = publicPackages();
    const unbuilt = published.filter(({ dir }) => !existsSync(join(dir, 'dist')));
    // The release builds everything first; here turbo does (turbo.json: @xport/factory#test).
    expect(unbuilt.map(({ name }) => `${name} is not built: add its build to @xport/factory#test in turbo.json`)).toEqual([]);
    const pnpm = await locatePnpm();
    const local = await time('registry', () => startLocalRegistry(join(scratch, 'registry')));
    registry = local;

    await time('third-party', async () => {
      const closure = thirdPartyClosure(published.map(({ dir }) => dir));
      const tarballs = await packFolders(closure, TARBALL_CACHE);
      await Promise.all(closure.map((dir, index) => publishTarball(local, tarballs[index] ?? '', readManifest(dir))));
    });
    // The release flow itself (package.json "release" after its checks): without git tags, and
    // without lifecycle scripts, since turbo built every package before this test and a prepack
    // build here would rewrite dist/ under the tests running beside this one.
    await time('changeset publish', () =>
      run(pnpm, ['exec', 'changeset', 'publish', '--no-git-tag'], {
        cwd: workspaceRoot,
        timeout: STEP_TIMEOUT_MS,
        env: cleanEnv({
          PATH: `${dirname(pnpm)}${delimiter}${process.env.PATH ?? ''}`,
          NPM_CONFIG_USERCONFIG: local.userconfig,
          npm_config_registry: `${local.url}/`,
          npm_config_ignore_scripts: 'true',
        }),
      }),
    );

    started = await startSimulator({ port: 0, host: '127.0.0.1', seed: 23 });
    account = started.accounts.create({ venue: 'binance', balances: { USDT: '10000' } });
    await time('installs', async () => {
      const installs = await Promise.all(MANAGERS.map((manager) => installApp(manager, APP_PACKAGES, { scratch, registry: local, pnpm, yarn })));
      for (const install of installs) {
        apps.set(install.manager, install);
        timings[`install ${install.manager}`] = install.installMs;
      }
    });
    timings.setup = Date.now() - begun;
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await started?.close();
    await registry?.close();
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
    // Where the time goes (the factory README quotes these figures).
    console.info(`pack-install timings (ms): ${JSON.stringify(timings)}`);
    // Three apps' node_modules and three package caches take a while to delete on a busy machine.
  }, STEP_TIMEOUT_MS);

  it('published every public package at its manifest version, dependencies at real ranges', async () => {
    for (const { name, version } of published) {
      const response = await fetch(`${localRegistry().url}/${name.replace('/', '%2f')}`);
      expect(response.status, name).toBe(200);
      const document = (await response.json()) as { versions: Record<string, { dependencies?: Record<string, string>; repository?: unknown }> };
      const manifest = document.versions[version];
      expect(manifest, `${name}@${version}`).toBeDefined();
      for (const range of Object.values(manifest?.dependencies ?? {})) expect(range, name).not.toMatch(/^workspace:/);
      expect(manifest?.repository, name).toMatchObject({ url: 'git+https://github.com/xport-dev/xport.git' });
    }
  }, STEP_TIMEOUT_MS);

  it("pnpm's layout is strict: the app resolves what it installed and nothing its dependencies brought", async () => {
    // Asked of a child Node in each app: this process was started by pnpm, whose NODE_PATH would
    // let it resolve anything in the workspace.
    const resolvable = async (manager: Manager): Promise<Record<string, boolean>> => {
      const names = [...APP_PACKAGES, '@xport/ccxt', 'ccxt'];
      const probe = `const names = ${JSON.stringify(names)}; console.log(JSON.stringify(Object.fromEntries(names.map((name) => { try { return [name, require('node:fs').realpathSync(require.resolve(name)).startsWith(require('node:fs').realpathSync('node_modules'))]; } catch { return [name, false]; } }))));`;
      const { stdout } = await run(process.execPath, ['-e', probe], { cwd: appDir(manager) });
      return JSON.parse(stdout) as Record<string, boolean>;
    };
    const installed = Object.fromEntries(APP_PACKAGES.map((name) => [name, true]));
    // Under npm and yarn the app could use @xport/ccxt and ccxt without naming them; under pnpm not.
    expect(await resolvable('pnpm')).toEqual({ ...installed, '@xport/ccxt': false, ccxt: false });
    expect(await resolvable('npm')).toEqual({ ...installed, '@xport/ccxt': true, ccxt: true });
    expect(await resolvable('yarn')).toEqual({ ...installed, '@xport/ccxt': true, ccxt: true });
  }, STEP_TIMEOUT_MS);

  /** Runs a file of an app (or a bundle) with ccxt's module loads traced, and parses its last line. */
  async function runTraced(cwd: string, file: string, orderKey: string): Promise<{ output: AppOutput; ccxtLoads: string[] }> {
    const trace = join(scratch, `trace-${orderKey}.txt`);
    writeFileSync(trace, '');
    const { stdout } = await run(process.execPath, ['--import', join(appDir('npm'), 'trace-ccxt.mjs'), file], {
      cwd,
      timeout: STEP_TIMEOUT_MS,
      env: cleanEnv({
        XPORT_SIM_URL: sim().url,
        XPORT_API_KEY: account.apiKey,
        XPORT_API_SECRET: account.secret,
        XPORT_ORDER_KEY: orderKey,
        XPORT_CCXT_TRACE: trace,
      }),
    });
    const output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as AppOutput;
    return { output, ccxtLoads: readFileSync(trace, 'utf8').split('\n').filter(Boolean) };
  }

  /** The order is in the simulator's ledger as printed, and the error contract crossed the boundary. */
  function expectPlaced(output: AppOutput): void {
    expect(output.order).toMatchObject({ exchange: 'binance', symbol: 'BTC/USDT', marketType: 'spot', side: 'buy', status: 'filled', requestedQuantity: '0.001', filledQuantity: '0.001' });
    const executed = sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey }).find((order) => order.orderId === output.order.orderId);
    expect(executed?.clientOrderId).toBe(output.order.clientOrderId);
    expect(executed?.quantity.toFixed()).toBe('0.001');
    expect(executed?.price.toFixed()).toBe(output.order.averagePrice);
    expect(output.unsupported).toEqual({ isInstance: true, packageName: '@xport/bybit' });
  }

  /** ccxt's Binance module was loaded on its own, never ccxt's entry point with every exchange. */
  function expectLean(ccxtLoads: readonly string[]): void {
    expect(ccxtLoads.some((url) => /[/\\]ccxt[/\\]js[/\\]src[/\\]binance\.js$/.test(url))).toBe(true);
    expect(ccxtLoads.filter((url) => /[/\\]ccxt[/\\]js[/\\]ccxt\.js$/.test(url))).toEqual([]);
  }

  describe.each(MANAGERS)('installed with %s', (manager) => {
    it.each([
      ['app.mjs', 'esm'],
      ['app.cjs', 'cjs'],
    ])('%s buys on the simulator through the factory, loading only ccxt\u2019s Binance', async (file, format) => {
      const { output, ccxtLoads } = await runTraced(appDir(manager), file, `${manager}-${format}`);
      expect(output.format).toBe(format);
      const resolved = output.resolved.startsWith('file:') ? fileURLToPath(output.resolved) : output.resolved;
      expect(realpathSync(resolved).startsWith(realpathSync(join(appDir(manager), 'node_modules')))).toBe(true);
      expectPlaced(output);
      expectLean(ccxtLoads);
    }, STEP_TIMEOUT_MS);

    it("runs the README's example, copied out of the repository, and prints what the README says", async () => {
      cpSync(join(packageDir, 'examples', 'quick-start.mjs'), join(appDir(manager), 'quick-start.mjs'));
      const { stdout } = await run(process.execPath, ['quick-start.mjs'], { cwd: appDir(manager), timeout: STEP_TIMEOUT_MS });
      expect(stdout.trim().split('\n')).toEqual(["[ 'binance' ]", 'filled 0.01 65000', 'true', '@xport/bybit']);
    }, STEP_TIMEOUT_MS);
  });

  const TYPE_CHECKS = [
    ['node16 ESM', 'typed-app.mts', { module: 'node16', moduleResolution: 'node16' }],
    ['node16 CommonJS', 'typed-app.cts', { module: 'node16', moduleResolution: 'node16' }],
    ['bundler', 'typed-app.mts', { module: 'preserve', moduleResolution: 'bundler' }],
  ] as const;

  const TYPE_CHECK_CELLS = (['npm', 'pnpm'] as const).flatMap((manager) => TYPE_CHECKS.map(([label, file, resolution]) => [manager, label, file, resolution] as const));

  it.each(TYPE_CHECK_CELLS)('type-checked in the %s layout under %s, skipLibCheck off: no error, under 200 declaration files read', async (manager, label, file, resolution) => {
    const project = join(appDir(manager), `tsconfig.${label.replace(/\W+/g, '-')}.json`);
    const compilerOptions = {
      ...resolution,
      target: 'es2022',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      // The app's own @types/node would be the same file; the workspace's saves an install.
      typeRoots: [join(workspaceRoot, 'node_modules', '@types')],
    };
    writeFileSync(project, JSON.stringify({ compilerOptions, files: [file] }, null, 2));
    const { stdout } = await time(`tsc ${manager} ${label}`, () => run(process.execPath, [tsc, '-p', project, '--listFiles'], { cwd: appDir(manager), timeout: STEP_TIMEOUT_MS }));
    const declarations = stdout.split('\n').filter((line) => /\.d\.[cm]?ts$/.test(line));
    expect(declarations.filter((path) => path.includes(join('node_modules', 'ccxt')))).toEqual([]);
    expect(declarations.length).toBeLessThan(200);
    timings[`declarations ${manager} ${label}`] = declarations.length;
  }, STEP_TIMEOUT_MS);

  describe('bundled with esbuild', () => {
    it('--bundle --platform=node --external:ccxt (ESM and CommonJS), run where ccxt is installed: still loads only Binance', async () => {
      for (const [entry, format, out] of [
        ['app.mjs', 'esm', 'bundle.mjs'],
        ['app.cjs', 'cjs', 'bundle.cjs'],
      ] as const) {
        const dir = appDir('npm');
        await time(`esbuild ${format} external ccxt`, () =>
          build({ absWorkingDir: dir, entryPoints: [entry], bundle: true, platform: 'node', format, external: ['ccxt'], outfile: join('dist', out), logLevel: 'error' }),
        );
        const { output, ccxtLoads } = await runTraced(dir, join('dist', out), `bundle-external-${format}`);
        expectPlaced(output);
        expectLean(ccxtLoads);
      }
    }, STEP_TIMEOUT_MS);

    it('--bundle --platform=node --format=cjs --external:protobufjs from the strict layout: one file that runs alone', async () => {
      const lonely = join(scratch, 'lonely');
      mkdirSync(lonely);
      await time('esbuild cjs whole', () =>
        build({
          absWorkingDir: appDir('pnpm'),
          entryPoints: ['app.cjs'],
          bundle: true,
          platform: 'node',
          format: 'cjs',
          external: ['protobufjs'],
          outfile: join(lonely, 'app.cjs'),
          logLevel: 'error',
        }),
      );
      // Nothing but the bundle in the folder: ccxt cannot be resolved, so the adapter falls back to
      // the ccxt inside the bundle, and no file of ccxt is loaded from anywhere else.
      const { output, ccxtLoads } = await runTraced(lonely, 'app.cjs', 'bundle-whole');
      expect(readdirSync(lonely)).toEqual(['app.cjs']);
      expectPlaced(output);
      expect(ccxtLoads).toEqual([]);
    }, STEP_TIMEOUT_MS);
  });

  it('`npx @xport/copy-trader demo --followers 3` from an empty folder runs the demo and exits 0', async () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const { stdout } = await time('npx copy-trader demo', () =>
      run('npx', ['--yes', '@xport/copy-trader', 'demo', '--followers', '3'], {
        cwd: empty,
        timeout: STEP_TIMEOUT_MS,
        env: cleanEnv({
          NPM_CONFIG_USERCONFIG: localRegistry().userconfig,
          npm_config_registry: `${localRegistry().url}/`,
          npm_config_cache: join(scratch, 'npx-cache'),
          // ccxt's postinstall asks GitHub for star counts; nothing here leaves 127.0.0.1.
          npm_config_ignore_scripts: 'true',
          NO_COLOR: '1',
        }),
      }),
    );
    expect(stdout).toMatch(/3 followers: 1 binance, 1 bybit, 1 bitget/);
    // Installed with scripts off, better-sqlite3 has no native addon (its tarball carries none, and
    // no prebuilt binary is fetched): the demo keeps its journal in memory and says so.
    expect(stdout).toMatch(/^journal: in memory \(the SQLite journal could not be opened: .+\), exactly-once within this process only$/m);
    expect(readdirSync(empty)).toEqual([]);
  }, STEP_TIMEOUT_MS);
});
