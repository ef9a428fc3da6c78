// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const mirrorWriterMessage =
  'The users mirror is written only by the Clerk webhook route (apps/api/src/webhooks). ' +
  'Read users through @expectations/db; change them in Clerk.';

/** Only the mirror writer is off limits: for code that may use the test helpers. */
const writerOffLimits = [
  'error',
  {
    paths: [{ name: '@expectations/db/mirror-writer', message: mirrorWriterMessage }],
    patterns: [{ group: ['**/mirror-writer', '**/mirror-writer/**'], message: mirrorWriterMessage }],
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.data/**', '**/migrations/**', '**/test-artifacts/**', 'bench/scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@expectations/db/mirror-writer', message: mirrorWriterMessage },
            { name: '@expectations/db/testing', message: 'Test helpers are for test files only.' },
          ],
          patterns: [{ group: ['**/mirror-writer', '**/mirror-writer/**'], message: mirrorWriterMessage }],
        },
      ],
    },
  },
  {
    // The workspace's own Node scripts (setup, dev): plain ESM JavaScript run by Node.
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' },
    },
  },
  {
    // Tests seed the mirror through @expectations/db/testing, which uses the same writer.
    files: ['**/test/**', 'apps/api/testing/**'],
    rules: {
      // Tests mutate raw JSON fixtures freely, including into shapes no type allows.
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': writerOffLimits,
    },
  },
  {
    // The benchmarks and the reliability scenarios seed and inspect their databases through the
    // test helpers too.
    files: ['bench/src/**', 'tests/*/src/**'],
    rules: { 'no-restricted-imports': writerOffLimits },
  },
  {
    // The one module allowed to write the mirror; the db package that implements the writer, its
    // test helpers and its own tests; and the webhook benchmark's floor, which measures the writer.
    files: [
      'apps/api/src/webhooks/**',
      'packages/db/src/mirror-writer/**',
      'packages/db/src/testing/**',
      'packages/db/test/**',
      'bench/src/floors/webhook-floor.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
);
