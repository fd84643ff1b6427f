import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'scratch/', 'tests/fixtures/**/*.html', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', document: 'readonly', window: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'Text only: never inject markup.' },
        { selector: "AssignmentExpression[left.property.name='outerHTML']", message: 'Text only: never inject markup.' },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'Text only: never inject markup.' },
        { selector: "CallExpression[callee.property.name='write'][callee.object.name='document']", message: 'Text only: never inject markup.' },
      ],
    },
  },
  {
    // src/core is pure: nothing from the rest of the project, no browser API.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*', 'idb', 'webextension-polyfill', 'preact*', 'valibot'], message: 'src/core imports nothing else.' }] }],
      'no-restricted-globals': ['error', 'document', 'window', 'chrome', 'browser', 'indexedDB', 'navigator', 'location'],
    },
  },
  {
    // Adapters import only core (and their shared interface).
    files: ['src/platforms/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/store/*', '**/content/*', '**/background/*', '**/popup/*', 'idb', 'webextension-polyfill'], message: 'Adapters import only core.' }] }],
    },
  },
  {
    // Tests and tools may build documents from saved pages; the extension never does.
    files: ['tests/**/*.ts', 'src/tools/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
