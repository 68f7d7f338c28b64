// ESLint flat config: the recommended JavaScript and TypeScript rules, plus two limits on size
// that keep functions readable (warnings, held at zero by `npm run lint`'s --max-warnings 0).
// Formatting is Prettier's alone (.prettierrc.json), so no rule here is about layout.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      // An interrupted build (scripts/build.mjs) leaves its temp folder; it is never source.
      'dist.tmp-*/',
      'node_modules/',
      'outbox/',
      'artifacts/',
      'coverage/',
      '.cache/',
      'rendered/',
      'subscribers/',
      'bench/out/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a value that is taken on purpose and not used.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true }],
      complexity: ['warn', 20],
    },
  },
  {
    // The studio's browser code runs in the page, not in Node.
    files: ['src/preview/assets/**/*.js', 'src/preview/editor/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
