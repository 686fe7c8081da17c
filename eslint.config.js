// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // tsup and vite write short-lived bundled configs beside the real ones while a build runs.
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', '**/*.bundled_*.mjs', '**/*.timestamp-*', 'docs/api/**'] },
  // A consumer's TypeScript, type-checked by the consumer matrix under a consumer's settings, not the workspace's.
  { ignores: ['packages/factory/test/pack-app/*.mts', 'packages/factory/test/pack-app/*.cts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // In trading code an unawaited promise is a lost order.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // decimal.js's types are CommonJS: under `moduleResolution: node16` an ESM consumer reads a
      // default import as the whole module (TS2351, TS2709 in our .d.mts); the named export works everywhere.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'decimal.js', importNames: ['default'], message: "Import { Decimal } from 'decimal.js': the default import breaks node16/nodenext consumers." }] },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', URL: 'readonly' },
    },
  },
);
