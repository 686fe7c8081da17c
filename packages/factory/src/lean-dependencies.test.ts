import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// Statements only (a line that starts with import/export), so error messages quoting an import do not count.
const STATIC_IMPORT = /^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\b(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/g;

function specifiersIn(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(STATIC_IMPORT), ...text.matchAll(DYNAMIC_IMPORT)].map((match) => match[1] ?? '');
}

// The factory's point: an app that registers only Binance must not load Bybit, Bitget or ccxt's
// hundred exchanges because it imported the factory. Its source is held to that by the workspace's
// import rules (factory-imports-only-core in .dependency-cruiser.cjs); these check what ships.
describe('@xport/factory stays free of venue code', () => {
  it('depends on @xport/core and nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['@xport/core']);
    expect(manifest.peerDependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
  });

  it('imports only @xport/core from its ESM build', () => {
    expect(new Set(specifiersIn(join(packageDir, 'dist', 'index.mjs')))).toEqual(new Set(['@xport/core']));
  });

  it('loads no ccxt and no venue package when required as CommonJS', () => {
    const script = `require(${JSON.stringify(join(packageDir, 'dist', 'index.cjs'))}); console.log(JSON.stringify(Object.keys(require.cache)))`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    expect(loaded.some((path) => path.includes('/core/dist/'))).toBe(true);
    expect(loaded.filter((path) => /ccxt|\/(binance|bybit|bitget)\//.test(path))).toEqual([]);
  });
});
