import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findViolations, WORKSPACE_ROOT } from './find-violations';

describe('the workspace', () => {
  it('keeps every import rule', async () => {
    expect(await findViolations(WORKSPACE_ROOT, ['packages', 'apps', 'tools'])).toEqual([]);
  });
});

const INSTALLED_PACKAGE = (name: string): string => JSON.stringify({ name, main: 'dist/index.cjs' });

/**
 * A small tree laid out like the workspace, where each file marked "breaks" breaks one rule and
 * each marked "allowed" sits next to a rule without breaking it. Two packages are installed in the
 * importer's node_modules, as pnpm links them; the other `@xport/…` imports cannot be resolved here
 * and stay as written, as before a build: the rules match both forms.
 */
const FIXTURE: Readonly<Record<string, string>> = {
  'packages/factory/node_modules/@xport/binance/package.json': INSTALLED_PACKAGE('@xport/binance'),
  'packages/factory/node_modules/@xport/binance/dist/index.cjs': 'exports.binance = {};\n',
  'apps/copy-trader/node_modules/@xport/core/package.json': INSTALLED_PACKAGE('@xport/core'),
  'apps/copy-trader/node_modules/@xport/core/dist/index.cjs': 'exports.ExchangeError = class {};\n',
  'apps/copy-trader/node_modules/@xport/core/src/errors.ts': 'export class ExchangeError {}\n',
  // breaks core-and-resilience-import-nothing-of-ours
  'packages/core/src/leak.ts': "export { CcxtExchangeAdapter } from '@xport/ccxt';\n",
  'packages/resilience/src/leak.ts': "import type { Decimal } from '@xport/core';\nexport type Amount = Decimal;\n",
  // allowed: the helper their builds bundle
  'packages/core/src/errors.ts': "export { brandErrorClass } from '@xport/error-brand';\n",
  // breaks error-brand-is-built-into-core-and-resilience-only
  'packages/simulator/src/engine.ts': "export { brandErrorClass } from '@xport/error-brand';\n",
  // breaks factory-imports-only-core
  'packages/factory/src/load-venue.ts': "export { binance } from '@xport/binance';\n",
  // allowed: the factory's tests drive real venues
  'packages/factory/src/factory.e2e.test.ts': "export { binance } from '@xport/binance';\n",
  // breaks venues-import-only-core-and-ccxt
  'packages/bybit/src/bybit-profile.ts': "export { startSimulator } from '@xport/simulator';\n",
  // breaks stores-and-engines-import-only-core
  'packages/queue-bullmq/src/leak.ts': "export { FanOut } from '@xport/copy-trader';\n",
  // allowed: a store imports the domain; its tests may import the contract suite
  'packages/journal-postgres/src/uses-core.ts': "export { ExchangeError } from '@xport/core';\n",
  'packages/journal-postgres/src/store.test.ts': "export { describeJournalContract } from '@xport/contract-tests/journal';\n",
  // breaks only-entry-points
  'apps/copy-trader/src/deep.ts': "export { ExchangeError } from '@xport/core/src/errors';\n",
  'apps/copy-trader/src/deep-unbuilt.ts': "export { rewriteHosts } from '@xport/ccxt/src/rewrite-hosts';\n",
  // allowed: a package's entry point
  'apps/copy-trader/src/entry.ts': "export { ExchangeError } from '@xport/core';\n",
  // breaks no-paths-into-other-packages
  'apps/copy-trader/src/relative.ts': "export * from '../../../packages/core/src/errors';\n",
  // breaks no-test-tools-in-product-code, twice
  'packages/ccxt/src/uses-vitest.ts': "export { vi } from 'vitest';\n",
  'packages/ccxt/src/uses-test-support.ts': "export * from './test-support/fake-venue';\n",
  // allowed: test-support serves tests and may use vitest; tests may use both; contract-tests ships a vitest suite
  'packages/ccxt/src/test-support/fake-venue.ts': "export { vi } from 'vitest';\n",
  'packages/ccxt/src/adapter.test.ts': "export * from './test-support/fake-venue';\nexport { it } from 'vitest';\n",
  'packages/contract-tests/src/describe-exchange-contract.ts': "export { describe } from 'vitest';\n",
  // breaks redis-imports-only-resilience-and-ioredis
  'packages/redis/src/venue.ts': "export { binance } from '@xport/binance';\n",
  // allowed: the ports it implements and its client
  'packages/redis/src/redis-venue-state.ts': "export { RateLimiter } from '@xport/resilience';\nexport { Redis } from 'ioredis';\n",
  // breaks only-the-redis-package-imports-ioredis
  'packages/ccxt/src/shared-state.ts': "export { Redis } from 'ioredis';\n",
};

describe('the import rules, on a tree that breaks each of them', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'xport-boundaries-'));
    for (const [file, text] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reports every wrong import, and only those', async () => {
    expect(await findViolations(root, ['packages', 'apps'])).toEqual([
      { rule: 'core-and-resilience-import-nothing-of-ours', from: 'packages/core/src/leak.ts', to: '@xport/ccxt' },
      { rule: 'core-and-resilience-import-nothing-of-ours', from: 'packages/resilience/src/leak.ts', to: '@xport/core' },
      { rule: 'error-brand-is-built-into-core-and-resilience-only', from: 'packages/simulator/src/engine.ts', to: '@xport/error-brand' },
      { rule: 'factory-imports-only-core', from: 'packages/factory/src/load-venue.ts', to: 'packages/factory/node_modules/@xport/binance/dist/index.cjs' },
      { rule: 'no-paths-into-other-packages', from: 'apps/copy-trader/src/relative.ts', to: 'packages/core/src/errors.ts' },
      { rule: 'no-test-tools-in-product-code', from: 'packages/ccxt/src/uses-test-support.ts', to: 'packages/ccxt/src/test-support/fake-venue.ts' },
      { rule: 'no-test-tools-in-product-code', from: 'packages/ccxt/src/uses-vitest.ts', to: 'vitest' },
      { rule: 'only-entry-points', from: 'apps/copy-trader/src/deep-unbuilt.ts', to: '@xport/ccxt/src/rewrite-hosts' },
      { rule: 'only-entry-points', from: 'apps/copy-trader/src/deep.ts', to: 'apps/copy-trader/node_modules/@xport/core/src/errors.ts' },
      { rule: 'only-the-redis-package-imports-ioredis', from: 'packages/ccxt/src/shared-state.ts', to: 'ioredis' },
      { rule: 'redis-imports-only-resilience-and-ioredis', from: 'packages/redis/src/venue.ts', to: '@xport/binance' },
      { rule: 'stores-and-engines-import-only-core', from: 'packages/queue-bullmq/src/leak.ts', to: '@xport/copy-trader' },
      { rule: 'venues-import-only-core-and-ccxt', from: 'packages/bybit/src/bybit-profile.ts', to: '@xport/simulator' },
    ]);
  });
});
