import { defineConfig } from 'tsup';

const common = { sourcemap: true, target: 'node20', platform: 'node', outExtension: ({ format }: { format: string }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }) } as const;

// Both builds run at once, so neither cleans (one would delete the other's output): the build script empties dist first.
// The library (the engine) ships both formats with a declaration file each; the CLI is ESM only.
export default defineConfig([
  { ...common, entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: { resolve: ['@xport/venues'] }, clean: false },
  { ...common, entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false, banner: { js: '#!/usr/bin/env node' } },
]);
