// Lint for the whole tree: typescript-eslint's recommended rules everywhere, React hooks and
// Next's rules in web/. Formatting is Prettier's job (npm run format:check), not ESLint's.
import js from '@eslint/js';
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/__generated__/',
      'web/.next/',
      'web/next-env.d.ts',
      'coverage/',
      'artifacts/',
      '.data/',
      'dist/',
      'dist.building-*/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Type-only imports stay type-only, so the import graph shows what is really loaded.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Non-null assertions hide what the types say can be missing: handle it instead.
      '@typescript-eslint/no-non-null-assertion': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A package's dist/ internals are not its API and break on upgrade.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['*/dist/*'], message: 'Import the package entry point.' }] },
      ],
      'no-console': 'off',
    },
  },
  {
    // Tests read raw rows and JSON answers whose shapes they assert; typing each would only add casts.
    files: ['**/__tests__/**/*.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, '@next/next': nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs['core-web-vitals'].rules,
    },
    settings: { next: { rootDir: 'web/' } },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
