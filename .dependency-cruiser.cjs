// @ts-check
/* global require, module, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- dependency-cruiser loads its configuration as CommonJS */
// The import rules of the workspace (CONTRIBUTING.md, "Where code may import from"), checked by
// `npx pnpm@10.34.9 boundaries` and by tools/boundaries' test, which `pnpm test` runs.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// Symlinks are kept, so a workspace package imported by name resolves to
// `<importer>/node_modules/@xport/<name>/dist/…`; before it is built it cannot be resolved and the
// name stays as written (`@xport/<name>`). Each pattern below matches both forms.
const ours = (names) => `(^|/)node_modules/@xport/(${names})/|^@xport/(${names})(/|$)`;
const npm = (names) => `(^|/)node_modules/(${names})/|^(${names})(/|$)`;
const TEST_FILE = '\\.test\\.ts$';
/** A file of a workspace package or app reached by a relative path, not through node_modules. */
const WORKSPACE_FILE = '^(packages|apps|tools)/[^/]+/(?!node_modules/)';

/** Every manifest in packages/. */
const MANIFESTS = readdirSync(join(__dirname, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    try {
      return [JSON.parse(readFileSync(join(__dirname, 'packages', entry.name, 'package.json'), 'utf8'))];
    } catch {
      return [];
    }
  });

/**
 * The entry points packages publish besides `.` (`@xport/contract-tests/journal`), read from their
 * `exports`, so a documented subpath is an entry point like the main one.
 */
const SUBPATH_ENTRIES = MANIFESTS.flatMap((manifest) =>
  Object.keys(manifest.exports ?? {})
    .filter((key) => key !== '.' && key !== './package.json')
    .map((key) => `${manifest.name.replace(/^@xport\//, '')}/${key.slice(2)}`),
);
const SUBPATH_FILES = SUBPATH_ENTRIES.map((entry) => entry.split('/')[1]);

/** The venue packages: every package built on @xport/ccxt, so a new one is covered without a line here. */
const VENUES = MANIFESTS
  .filter((manifest) => manifest.dependencies?.['@xport/ccxt'] !== undefined)
  .map((manifest) => manifest.name.replace(/^@xport\//, ''))
  .join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-and-resilience-import-nothing-of-ours',
      comment:
        'Everything else depends on @xport/core and @xport/resilience, so they depend on nothing of ours. ' +
        '@xport/error-brand is the exception: it is private, and their builds copy it into their bundles.',
      severity: 'error',
      from: { path: '^packages/(core|resilience)/' },
      to: {
        path: [ours('[^/]+'), WORKSPACE_FILE],
        pathNot: ['^packages/$1/(?!node_modules/)', ours('$1|error-brand'), '^packages/error-brand/'],
      },
    },
    {
      name: 'error-brand-is-built-into-core-and-resilience-only',
      comment: '@xport/error-brand is not published: only packages whose builds bundle it may import it.',
      severity: 'error',
      from: { pathNot: '^packages/(core|resilience|error-brand)/' },
      to: { path: [ours('error-brand'), '^packages/error-brand/'] },
    },
    {
      name: 'factory-imports-only-core',
      comment:
        "An app that registers one venue must load only that venue's code: the factory's code imports " +
        'its own files, @xport/core and Node built-ins, never a venue package, @xport/ccxt or ccxt. Its tests may.',
      severity: 'error',
      from: { path: '^packages/factory/src/', pathNot: TEST_FILE },
      to: { pathNot: ['^packages/factory/(?!node_modules/)', ours('core')], dependencyTypesNot: ['core'] },
    },
    {
      name: 'venues-import-only-core-and-ccxt',
      comment: "A venue package's code imports @xport/core, @xport/ccxt, ccxt and its own files; its tests may import more.",
      severity: 'error',
      from: { path: `^packages/(${VENUES})/src/`, pathNot: TEST_FILE },
      to: { pathNot: ['^packages/$1/(?!node_modules/)', ours('core|ccxt'), npm('ccxt')], dependencyTypesNot: ['core'] },
    },
    {
      name: 'redis-imports-only-resilience-and-ioredis',
      comment:
        "@xport/redis keeps shared state for any caller: its code imports @xport/resilience (the ports it implements), ioredis " +
        'and its own files, never an exchange package; its tests may import more.',
      severity: 'error',
      from: { path: '^packages/redis/src/', pathNot: [TEST_FILE, '(^|/)test-support/'] },
      to: { pathNot: ['^packages/redis/(?!node_modules/)', ours('resilience'), npm('ioredis')], dependencyTypesNot: ['core'] },
    },
    {
      name: 'only-the-redis-package-imports-ioredis',
      comment: 'An app without Redis installs none of it: among the packages only @xport/redis imports ioredis (apps may).',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/redis/' },
      to: { path: npm('ioredis') },
    },
    {
      name: 'stores-and-engines-import-only-core',
      comment:
        'Each store or engine (the journals, the BullMQ queue) is its own package so an app installs only the one it uses: ' +
        'its code imports @xport/core and its own files, never a venue, the factory or an app. Its tests may import more.',
      severity: 'error',
      from: { path: '^packages/(journal-sqlite|journal-postgres|queue-bullmq)/src/', pathNot: TEST_FILE },
      to: { path: [ours('[^/]+'), WORKSPACE_FILE], pathNot: ['^packages/$1/(?!node_modules/)', ours('core')] },
    },
    {
      name: 'only-entry-points',
      comment: 'Another package is imported by its name and gets its entry point (dist/index), never one of its files (`@xport/ccxt/src/…`).',
      severity: 'error',
      from: {},
      to: {
        path: ['(^|/)node_modules/@xport/[^/]+/', '^@xport/[^/]+/'],
        pathNot: [
          `(^|/)node_modules/@xport/[^/]+/(dist/(${['index', ...SUBPATH_FILES].join('|')})\\.|package\\.json$)`,
          `^@xport/(${[...SUBPATH_ENTRIES, '[^/]+/package\\.json'].join('|')})$`,
        ],
      },
    },
    {
      name: 'no-paths-into-other-packages',
      comment: 'A relative path into another package (`../../ccxt/src/…`) bypasses its entry point and its package.json.',
      severity: 'error',
      from: { path: '^(packages|apps|tools)/([^/]+)/' },
      to: { path: WORKSPACE_FILE, pathNot: '^$1/$2/' },
    },
    {
      name: 'no-test-tools-in-product-code',
      comment:
        'Code under src/ that is not a test ships: it imports neither vitest nor a test-support/ folder. ' +
        'test-support/ folders serve tests and may import vitest. @xport/contract-tests is the exception ' +
        'on purpose: what it ships is a vitest suite.',
      severity: 'error',
      from: { path: '^(packages|apps)/[^/]+/src/', pathNot: [TEST_FILE, '(^|/)test-support/', '^packages/contract-tests/'] },
      to: { path: ['(^|/)test-support/', npm('vitest|@vitest/[^/]+')] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    preserveSymlinks: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(packages|apps|tools)/[^/]+/(dist|coverage|\\.turbo)/' },
    moduleSystems: ['es6', 'cjs'],
  },
};
