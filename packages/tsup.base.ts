import { defineConfig, type Options } from 'tsup';

/**
 * The one build recipe every @xport package uses: ESM (.mjs) and CJS (.cjs), each with its own
 * declaration file (.d.mts / .d.cts) so that neither format "masquerades" as the other.
 */
export function xportBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    // tsup builds declarations in a worker that never sees outExtension, so in these CommonJS-typed
    // packages it writes .d.mts for ESM and .d.ts for CJS; the build script renames the latter to .d.cts.
    outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
    ...overrides,
  });
}

export default xportBuild();
